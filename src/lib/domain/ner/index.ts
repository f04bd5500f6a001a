// Pure NER rules: piece alignment, windows, label schemes, span decoding and the person-title convention.
export * from './align';
export * from './windows';
export * from './labels';
export * from './decode';
export * from './metrics';
export * from './units';
export * from './person-titles';

// Pure NER rules: piece alignment, windows, label schemes and span decoding.
export * from './align';
export * from './windows';
export * from './labels';
export * from './decode';
export * from './metrics';
export * from './units';

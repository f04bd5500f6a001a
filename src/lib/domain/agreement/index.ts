export * from './figures';
export * from './kappa';
export * from './matching';

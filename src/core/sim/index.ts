export * from './prng';
export * from './decimal';
export * from './market';
export * from './payloads';

export * from './event-store-contract.js';
export * from './arbitraries/index.js';
export * from './decider-spec.js';
export * from './faults/index.js';
export * from './read-model-store-contract.js';

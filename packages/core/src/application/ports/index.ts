export * from './event-store.js';
export * from './sms-transport.js';
export * from './clock.js';
export * from './id-generator.js';
export * from './number-provisioning.js';
export * from './read-model-store.js';

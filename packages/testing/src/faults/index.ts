export * from './random.js';
export * from './scheduler.js';
export * from './journal.js';
export * from './faulty-event-store.js';
export * from './faulty-transport.js';
export * from './twilio-failures.js';
export * from './hand-overs.js';
export * from './arbitraries.js';

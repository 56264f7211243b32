export * from './values.js';
export * from './conversation.js';
export * from './events.js';

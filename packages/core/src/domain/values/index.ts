export * from './ids.js';
export * from './timestamp.js';
export * from './country.js';
export * from './phone-number.js';
export * from './message-body.js';
export * from './media.js';

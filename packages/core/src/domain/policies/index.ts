// Small pure policies behind the domain rules; each module names its rule id (B1, B2, B4, V2, V3, V10).
export * from './availability.js';
export * from './allotment.js';
export * from './delivery-status.js';
export * from './opt-out-keywords.js';
export * from './segments.js';
export * from './inbound-routing.js';
export * from './read-marks.js';

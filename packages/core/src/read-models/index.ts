// The read models (R1–R7): pure folds over the event log and the queries over them.
export * from './projection.js';
export * from './read-models.js';
export * from './inbox.js';
export * from './inbox-query.js';
export * from './client-finder.js';
export * from './client-finder-query.js';
export * from './alerts.js';
export * from './usage.js';
export * from './contact-history.js';
export * from './conversation-facts.js';
export * from './conversation-view.js';
export { foldText, queryWords, phoneQueryDigits, addWords, wordsOf, isFormattedPhoneQuery, PREVIEW_LENGTH, MIN_PHONE_DIGITS } from './search-text.js';
export { businessOfStream } from './stream-ids.js';

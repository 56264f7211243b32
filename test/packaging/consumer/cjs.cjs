// The same through require(): Node >= 20.19 loads the packages' ES modules synchronously.
const core = require('@message-center/core');
const eventstoredb = require('@message-center/eventstoredb');
const twilio = require('@message-center/twilio');
const scenario = require('./scenario.cjs');

for (const [name, value] of [
  ['eventstoredb.createEventStoreDbEventStore', eventstoredb.createEventStoreDbEventStore],
  ['twilio.createTwilioWebhookHandler', twilio.createTwilioWebhookHandler],
]) {
  if (typeof value !== 'function') throw new Error(`${name} is not exported as a function`);
}
scenario(core).then(
  (message) => console.log(message),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);

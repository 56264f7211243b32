// Imports every package by its published name, as an ES module, then runs the scenario.
import * as core from '@message-center/core';
import * as internals from '@message-center/core/internals';
import * as eventstoredb from '@message-center/eventstoredb';
import * as twilio from '@message-center/twilio';
import * as testing from '@message-center/testing';
import scenario from './scenario.cjs';

const expectFunction = (value, name) => {
  if (typeof value !== 'function') throw new Error(`${name} is not exported as a function`);
};
expectFunction(internals.conversationDecider?.decide, 'internals.conversationDecider.decide');
expectFunction(eventstoredb.createEventStoreDbEventStore, 'eventstoredb.createEventStoreDbEventStore');
expectFunction(twilio.createTwilioWebhookHandler, 'twilio.createTwilioWebhookHandler');
expectFunction(testing.deciderSpec, 'testing.deciderSpec');
console.log(await scenario(core));

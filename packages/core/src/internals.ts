/**
 * `@message-center/core/internals`: everything the packages of this repository build on — deciders, event
 * and command codecs, folds, read-model internals, stream names, store helpers. For adapters, tests and
 * benchmarks; it follows the version of `@message-center/core` exactly and has no stability promise.
 * An embedding service needs only the front door, `@message-center/core`.
 *
 * @packageDocumentation
 */
// Ports, their defaults and the embedded (in-memory) store, with what every store shares.
export * from './application/ports/index.js';
export * from './application/default-ports.js';
export * from './store/index.js';
export * from './store/store-errors.js';
export * from './store/subscription-lifecycle.js';

// The facade.
export * from './application/message-center.js';
export * from './application/message-center-api.js';
export * from './application/guarded-transport.js';
export * from './application/errors.js';
export * from './application/facade-inputs.js';
export * from './application/in-memory-transport.js';
export * from './application/in-memory-read-model-store.js';
export * from './application/event-codec.js';
export * from './application/command-handler.js';
export * from './application/aggregates.js';
export * from './application/projection-runner.js';
export * from './application/migrate-stream-names.js';

// The pure domain: values, events, commands, deciders, policies.
export * from './domain/values/index.js';
export * from './domain/errors.js';
export * from './domain/actor.js';
export * from './domain/authorization.js';
export * from './domain/decider.js';
export * from './domain/events.js';
export * from './domain/log.js';
export * from './domain/streams.js';
export * from './domain/stream-ownership.js';
export * from './domain/legacy-stream-names.js';
export * from './domain/business/events.js';
export * from './domain/business/commands.js';
export * from './domain/business/state.js';
export * from './domain/business/decider.js';
export * from './domain/business/number-move.js';
export * from './domain/number/events.js';
export * from './domain/number/decider.js';
export * from './domain/client/events.js';
export * from './domain/client/commands.js';
export * from './domain/client/state.js';
export * from './domain/client/decider.js';
export * from './domain/conversation/events.js';
export * from './domain/conversation/commands.js';
export * from './domain/conversation/state.js';
export * from './domain/conversation/decider.js';
export * from './domain/policies/index.js';
export * from './domain/policies/folder.js';

// Read models.
export * from './read-models/directory.js';
export * from './read-models/index.js';

// Issue 12: the consistency boundaries around a conversation (per-phone opt-out, inbound claims, usage ledger).
export * from './domain/phone-subscription/events.js';
export * from './domain/phone-subscription/decider.js';
export * from './domain/inbound-claim/events.js';
export * from './domain/inbound-claim/decider.js';
export * from './domain/usage-ledger/events.js';
export * from './domain/usage-ledger/decider.js';

/**
 * Shared harness of the property tests that drive the facade: a world is one `createMessageCenter` on a
 * fresh in-memory store with the in-memory transport, a ticking clock and deterministic ids.
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import {
  createInMemoryNumberProvisioning,
  BusinessId,
  ClientId,
  SEND_PERMISSION,
  StaffId,
  createInMemoryEventStore,
  createInMemorySmsTransport,
  createMessageCenter,
  timestampFromMillis,
  type Clock,
  type E164,
  type IdGenerator,
  type InMemoryEventStore,
  type InMemorySmsTransport,
  type MessageCenter,
  type MessageCenterError,
  type RecordedEvent,
  type StaffActor,
  PERMISSIONS,
} from '@message-center/core';
import { DomainEvent, makeEventDecoder } from '@message-center/core/internals';

/** Not about the number rule (issue 13): the provider's account holds every number these tests enable with. */
const everyNumber = () => createInMemoryNumberProvisioning({ account: 'any' });

/** Narrows a fixture value with its codec's guard; a fixture the codec refuses is a bug in the test. */
export const must = <A>(is: (u: unknown) => u is A, value: unknown): A => {
  if (!is(value)) throw new RangeError(`fixture value rejected by its codec: ${JSON.stringify(value)}`);
  return value;
};

export const B1 = must(BusinessId.is, 'b1');
export const B2 = must(BusinessId.is, 'b2');
export const clientId = (id: string): ClientId => must(ClientId.is, id);

export const staffOf = (
  businessId: BusinessId,
  id: string,
  permissions: ReadonlyArray<string> = [SEND_PERMISSION, PERMISSIONS.manageMessageCenter],
): StaffActor => ({ kind: 'staff', businessId, staffId: must(StaffId.is, id), permissions });

/** The start of March 2026; a world's clock ticks one second per reading, so a run stays in one billing period. */
export const START = Date.UTC(2026, 2, 1, 9, 0, 0);

export const tickingClock = (start = START, stepMs = 1000): Clock => {
  let now = start;
  return {
    now: () => {
      const at = timestampFromMillis(now);
      now += stepMs;
      return at;
    },
  };
};

/** Deterministic UUIDs (the store wants UUID event ids): 00000000-0000-4000-8000-<counter>. */
export const counterIds = (): IdGenerator => {
  let n = 0;
  return {
    uuid: () => {
      n += 1;
      return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
    },
  };
};

export interface World {
  readonly store: InMemoryEventStore;
  readonly transport: InMemorySmsTransport;
  readonly mc: MessageCenter;
}

/**
 * A fresh Message Center on its own store. `withTransport: false` leaves outbound messages pending in the
 * outbox (one event per send instead of two), for tests that are about the inbox only.
 */
export const newWorld = (options: { readonly maxAttempts?: number; readonly withTransport?: boolean } = {}): World => {
  const store = createInMemoryEventStore();
  const transport = createInMemorySmsTransport();
  const mc = createMessageCenter({ numbers: everyNumber(),
    store,
    ...(options.withTransport === false ? {} : { transport }),
    clock: tickingClock(),
    ids: counterIds(),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });
  return { store, transport, mc };
};

export type Outcome<A> = E.Either<MessageCenterError, A>;

export const ok = async <A>(task: TE.TaskEither<MessageCenterError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.code}: ${result.left.message}`);
  return result.right;
};

export const refusal = async <A>(task: TE.TaskEither<MessageCenterError, A>): Promise<MessageCenterError> => {
  const result = await task();
  if (E.isRight(result)) throw new Error(`expected a refusal, got ${JSON.stringify(result.right)}`);
  return result.left;
};

/** The store's whole global log ($all). */
export const globalLog = async (store: InMemoryEventStore): Promise<ReadonlyArray<RecordedEvent>> => {
  const all = await store.readAll()();
  if (E.isLeft(all)) throw new Error(`readAll failed: ${all.left.message}`);
  return all.right;
};

const decode = makeEventDecoder(DomainEvent);

export interface Stored {
  readonly recorded: RecordedEvent;
  readonly event: DomainEvent;
}

/** Every stored event, decoded with the production codec. */
export const storedEvents = async (store: InMemoryEventStore): Promise<ReadonlyArray<Stored>> =>
  (await globalLog(store)).map((recorded) => {
    const event = decode(recorded);
    if (E.isLeft(event)) throw new Error(`stored event does not decode: ${event.left.message}`);
    return { recorded, event: event.right };
  });

/**
 * Runs a call that must be refused and checks that the global log is exactly what it was before (same
 * events, same positions): a refused command appends nothing. Returns the error.
 */
export const refusedAppendingNothing = async <A>(store: InMemoryEventStore, task: TE.TaskEither<MessageCenterError, A>): Promise<MessageCenterError> => {
  const before = await globalLog(store);
  const error = await refusal(task);
  const after = await globalLog(store);
  if (after.length !== before.length || after.some((e, i) => e !== before[i]))
    throw new Error(`refused with ${error.code} but the log went from ${before.length} to ${after.length} events`);
  return error;
};

export interface PlanInput {
  readonly messagesPerPeriod: number;
  readonly overage: 'refuse' | 'allow';
}

export const enableUs = (world: World, businessId: BusinessId, number: E164, allotment: PlanInput = { messagesPerPeriod: 1_000_000, overage: 'refuse' }) =>
  ok(world.mc.enableMessageCenter({ businessId, actor: { kind: 'host', businessId: businessId }, country: 'US', number, allotment }));

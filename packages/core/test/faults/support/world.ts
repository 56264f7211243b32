/**
 * A world for fault tests: an in-memory store behind the faulty store, the faulty transport, both on one
 * journal; facades made on sessions of both (a restart crashes one and makes another on the same store);
 * and a checker facade on the healthy inner store, for looking at what was really recorded.
 */
import { createHash } from 'node:crypto';
import {
  createInMemoryNumberProvisioning,
  createInMemoryEventStore,
  createMessageCenter,
  timestampFromMillis,
  type Clock,
  type IdGenerator,
  type InMemoryEventStore,
  type MessageCenter,
  type OutgoingSms,
} from '@message-center/core';
import {
  createFaultJournal,
  createFaultyEventStore,
  createFaultyTransport,
  healthyStorePlan,
  healthyTransportPlan,
  type FaultJournal,
  type FaultyEventStore,
  type FaultyTransport,
  type StoreFaultChoice,
  type StoreCall,
  type StoreFaultPlan,
  type TransportBehaviour,
  type TransportFaultPlan,
} from '@message-center/testing';
import { settled } from './virtual-time.js';

/** Not about the number rule (issue 13): the provider's account holds every number these tests enable with. */
const everyNumber = () => createInMemoryNumberProvisioning({ account: 'any' });

/** The facade's clock on virtual time (Date is faked), strictly increasing so that no two events tie. */
export const virtualClock = (): Clock => {
  let last = 0;
  return {
    now: () => {
      last = Math.max(Date.now(), last + 1);
      return timestampFromMillis(last);
    },
  };
};

/** UUIDs from one counter for the whole world (facades of a restart never collide); `keyed` adds UUIDv5-like ids from keys, as the EventStoreDB adapter's. */
export const worldIds = (keyed: boolean): IdGenerator => {
  let n = 0;
  const uuid = (): string => {
    n += 1;
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  };
  if (!keyed) return { uuid };
  return {
    uuid,
    uuidFromKey: (key) => {
      const h = createHash('sha1').update(`message-center:${key}`).digest('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
};

export interface Facade {
  readonly label: string;
  readonly mc: MessageCenter;
  /** The process dies: its store and transport calls never answer again. */
  readonly crash: () => void;
}

export interface FaultWorld {
  readonly inner: InMemoryEventStore;
  readonly journal: FaultJournal;
  readonly store: FaultyEventStore;
  readonly transport: FaultyTransport;
  /** A facade on new sessions of the faulty store and transport (`transport: false`: none). */
  readonly facade: (label: string, options?: { readonly transport?: boolean; readonly maxAttempts?: number }) => Facade;
  /** A facade on the healthy inner store, without transport: it reads what was really recorded. */
  readonly checker: MessageCenter;
  /** Moves whenever the store or the transport is called: the progress signal of `settle`. */
  readonly progress: () => number;
}

export interface FaultWorldOptions {
  readonly storePlan?: StoreFaultPlan;
  readonly transportPlan?: TransportFaultPlan;
  readonly decideStore?: (call: StoreCall) => StoreFaultChoice | undefined;
  readonly decideTransport?: (sms: OutgoingSms, index: number) => TransportBehaviour | undefined;
  readonly keyedIds?: boolean;
}

export const createFaultWorld = (options: FaultWorldOptions = {}): FaultWorld => {
  const inner = createInMemoryEventStore();
  const journal = createFaultJournal();
  const store = createFaultyEventStore(inner, {
    plan: options.storePlan ?? healthyStorePlan,
    journal,
    ...(options.decideStore === undefined ? {} : { decide: options.decideStore }),
  });
  const transport = createFaultyTransport({
    plan: options.transportPlan ?? healthyTransportPlan,
    journal,
    ...(options.decideTransport === undefined ? {} : { decide: options.decideTransport }),
  });
  const clock = virtualClock();
  const ids = worldIds(options.keyedIds ?? false);
  const checker = createMessageCenter({ numbers: everyNumber(), store: inner, clock, ids });
  return {
    inner,
    journal,
    store,
    transport,
    checker,
    progress: () => store.calls() + journal.entries.length,
    facade: (label, facadeOptions = {}) => {
      const storeSession = store.session(label);
      const transportSession = transport.session(label);
      const mc = createMessageCenter({ numbers: everyNumber(),
        store: storeSession.store,
        ...(facadeOptions.transport === false ? {} : { transport: transportSession.transport }),
        clock,
        ids,
        ...(facadeOptions.maxAttempts === undefined ? {} : { maxAttempts: facadeOptions.maxAttempts }),
      });
      return {
        label,
        mc,
        crash: () => {
          storeSession.crash();
          transportSession.crash();
        },
      };
    },
  };
};

/** Runs facade work to its end in virtual time; throwing or hanging fails the test, naming the call. */
export const driver =
  (world: FaultWorld) =>
  <A>(label: string, work: () => Promise<A>, options: { readonly maxVirtualMs?: number } = {}): Promise<A> =>
    settled(label, work(), { progress: world.progress, ...options });

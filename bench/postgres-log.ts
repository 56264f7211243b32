/**
 * bench/inbox.ts's log (one business, its clients and conversations over two years) appended into core's
 * in-memory event store, one append per command as the facade writes them (a conversation's first message
 * with its `ConversationStarted`, an archive with its unpin), in log order. The events are bench/inbox.ts's
 * own (`slotEvents`, each slot's events generated when the first is due, merged by time); only the merge and
 * the business's setup are written again here, because bench/inbox.ts keeps them to itself.
 */
import {
  CountryCode,
  NonNegativeInt,
  createInMemoryEventStore,
  type EventToAppend,
  type ExpectedRevision,
  type InMemoryEventStore,
} from '@message-center/core';
import { businessStream, encodeEvent, numberStream, type DomainEvent } from '@message-center/core/internals';
import { BUSINESS, BUSINESS_NUMBER, Census, at, must, slotEvents, type World } from './inbox.js';

// As bench/inbox.ts: the history starts on 2024-01-01, spans 730 days, and B3 is switched on at 60 % of it.
const DAY = 24 * 60 * 60_000;
const T0 = Date.UTC(2024, 0, 1);
const SPAN = 730 * DAY;
const B3_AT = T0 + 0.6 * SPAN;
const US = must(CountryCode.is, 'US');

interface Pending {
  readonly ms: number;
  readonly streamId: string;
  readonly event: DomainEvent;
  readonly join: boolean;
}

/** bench/inbox.ts's `setupEvents`: the business's number, its enablement (B3 off), a plan change, B3 on. */
const setupEvents = (): Pending[] => {
  const setup = T0 - DAY;
  const business = businessStream(BUSINESS);
  return [
    { ms: setup, streamId: numberStream(BUSINESS_NUMBER), event: { type: 'NumberAssigned', data: { number: BUSINESS_NUMBER, businessId: BUSINESS, at: at(setup) } }, join: false },
    {
      ms: setup + 1,
      streamId: business,
      event: {
        type: 'MessageCenterEnabled',
        data: {
          businessId: BUSINESS,
          country: US,
          number: BUSINESS_NUMBER,
          numberCountry: US,
          allotment: { messagesPerPeriod: must(NonNegativeInt.is, 60_000), overage: 'allow' },
          individualReadStatus: false,
          at: at(setup + 1),
        },
      },
      join: false,
    },
    {
      ms: T0 + 365 * DAY,
      streamId: business,
      event: { type: 'PlanChanged', data: { allotment: { messagesPerPeriod: must(NonNegativeInt.is, 120_000), overage: 'allow' }, at: at(T0 + 365 * DAY) } },
      join: false,
    },
    { ms: B3_AT, streamId: business, event: { type: 'ReadStatusModeChanged', data: { individual: true, at: at(B3_AT) } }, join: false },
  ];
};

interface Slot {
  /** Ties in time go to the lower key (the business setup is -1). */
  readonly key: number;
  readonly events: ReadonlyArray<Pending>;
  cursor: number;
}

const headMs = (s: Slot): number => s.events[s.cursor]?.ms ?? Infinity;
const before = (a: Slot, b: Slot): boolean => headMs(a) < headMs(b) || (headMs(a) === headMs(b) && a.key < b.key);

/** The log in bench/inbox.ts's order (its `LogStream`): a merge by time of the slots' events, one event at a time. */
class LogMerge {
  private readonly heap: Slot[] = [];
  private pending = 0;

  constructor(
    private readonly world: World,
    readonly census: Census,
  ) {
    this.push({ key: -1, events: setupEvents(), cursor: 0 });
  }

  next(): Pending | null {
    // Between the events of one append nothing else is admitted: the append stays in one piece.
    const current = this.heap[0];
    if (current?.events[current.cursor]?.join !== true) this.admit();
    const top = this.heap[0];
    const e = top?.events[top.cursor];
    if (top === undefined || e === undefined) return null;
    const c = this.census;
    c.events += 1;
    c.lastMs = e.ms;
    c.byType.set(e.event.type, (c.byType.get(e.event.type) ?? 0) + 1);
    top.cursor += 1;
    if (top.cursor < top.events.length) this.down(0);
    else this.pop();
    return e;
  }

  private admit(): void {
    const { clients, byFirstEvent } = this.world;
    for (;;) {
      const client = clients[byFirstEvent[this.pending] ?? -1];
      if (client === undefined) return;
      const top = this.heap[0];
      if (top !== undefined && (client.recordedAt > headMs(top) || (client.recordedAt === headMs(top) && client.index > top.key))) return;
      this.pending += 1;
      this.push({ key: client.index, events: slotEvents(client, this.census), cursor: 0 });
    }
  }

  private push(slot: Slot): void {
    const h = this.heap;
    h.push(slot);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent];
      if (p === undefined || !before(slot, p)) break;
      h[i] = p;
      h[parent] = slot;
      i = parent;
    }
  }

  private pop(): void {
    const last = this.heap.pop();
    if (last !== undefined && this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private down(from: number): void {
    const h = this.heap;
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      const bl = h[l];
      const bb = h[best];
      if (bl !== undefined && bb !== undefined && before(bl, bb)) best = l;
      const br = h[r];
      const bb2 = h[best];
      if (br !== undefined && bb2 !== undefined && before(br, bb2)) best = r;
      if (best === i) return;
      const x = h[i];
      const y = h[best];
      if (x === undefined || y === undefined) return;
      h[i] = y;
      h[best] = x;
      i = best;
    }
  }
}

export interface FilledStore {
  readonly store: InMemoryEventStore;
  readonly census: Census;
  /** Appends made (one per command). */
  readonly appends: number;
}

/** The whole log of `world` appended into a new `createInMemoryEventStore()`. */
export const fillStore = async (world: World): Promise<FilledStore> => {
  const store = createInMemoryEventStore({ clock: () => '2026-01-01T00:00:00.000Z' });
  const census = new Census();
  const merge = new LogMerge(world, census);
  const revisions = new Map<string, bigint>();
  let group: Pending[] = [];
  let appends = 0;
  let position = 0;
  const flush = async (): Promise<void> => {
    const head = group[0];
    if (head === undefined) return;
    // Deterministic UUIDs: the position in hex.
    const toAppend: EventToAppend[] = group.map((e) => {
      position += 1;
      return encodeEvent(e.event, `00000000-0000-4000-8000-${position.toString(16).padStart(12, '0')}`);
    });
    const revision = revisions.get(head.streamId) ?? -1n;
    const expectedRevision: ExpectedRevision = revision === -1n ? 'no-stream' : revision;
    const appended = await store.appendToStream(head.streamId, toAppend, { expectedRevision })();
    if (appended._tag === 'Left') throw new Error(`append to ${head.streamId}: ${appended.left.message}`);
    revisions.set(head.streamId, appended.right.nextExpectedRevision);
    appends += 1;
    group = [];
  };
  for (let e = merge.next(); e !== null; e = merge.next()) {
    if (!e.join) await flush();
    group.push(e);
  }
  await flush();
  return { store, census, appends };
};

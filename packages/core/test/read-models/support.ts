/**
 * Helpers of the read-model properties: canonical snapshots (plain data, independent of how persistent
 * collections happen to be chunked, so states folded in different batches compare equal), folds over
 * splits, and brute-force references written from the rules, not from the indexes.
 */
import type { BusinessId, ConversationId, Folder, StaffId } from '@message-center/core';
import type { EventEnvelope } from '@message-center/core/internals';
import { folderFor, unreadCountFor } from '@message-center/core/internals';
import type { AlertsState } from '../../src/read-models/alerts.js';
import type { InboxEntry, InboxState } from '../../src/read-models/inbox.js';
import type { PHashMap, PSortedMap } from '../../src/read-models/persistent.js';
import { toSortedArray, type Postings } from '../../src/read-models/postings.js';
import type { UsageState } from '../../src/read-models/usage.js';
import { splitAt, type ConversationFacts, type World } from './world.js';

const byKey = <V>(pairs: Array<readonly [string, V]>): Array<readonly [string, V]> => pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

const hashEntries = <V extends {} | null, W>(m: PHashMap<V>, f: (v: V) => W): Array<readonly [string, W]> => {
  const out: Array<readonly [string, W]> = [];
  m.forEach((k, v) => out.push([k, f(v)]));
  return byKey(out);
};

const sortedEntries = <K extends {}, V extends {} | null, W>(m: PSortedMap<K, V>, f: (k: K, v: V) => W): W[] => {
  const out: W[] = [];
  m.forEach((k, v) => {
    out.push(f(k, v));
  });
  return out;
};

const list = (p: Postings): number[] => [...toSortedArray(p)];

const entrySnapshot = (e: InboxEntry): unknown => ({
  ...e,
  conversation:
    e.conversation === null
      ? null
      : { ...e.conversation, staffRead: byKey([...e.conversation.staffRead].map(([k, v]) => [k, v] as const)) },
});

/** Everything the inbox holds, as plain sorted data. */
export const snapshotInbox = (s: InboxState): unknown => ({
  streams: hashEntries(s.streams, (r) => r),
  businesses: sortedEntries(s.businesses, (id, b) => ({
    id,
    enabled: b.enabled,
    individual: b.individual,
    ordinals: hashEntries(b.ordinals, (o) => o),
    entries: (() => {
      const out: unknown[] = [];
      b.entries.forEach((e) => out.push(entrySnapshot(e)));
      return out;
    })(),
    order: sortedEntries(b.order, (k, o) => [k.at, k.id, o]),
    pinnedOrder: sortedEntries(b.pinnedOrder, (k, o) => [k.at, k.id, o]),
    profileWords: sortedEntries(b.profileWords, (k, p) => [k, list(p)]),
    textWords: sortedEntries(b.textWords, (k, p) => [k, list(p)]),
    phoneGrams: hashEntries(b.phoneGrams, list),
    clientTypes: hashEntries(b.clientTypes, list),
    groups: hashEntries(b.groups, list),
    homeLocations: hashEntries(b.homeLocations, list),
    profilePrefixes: hashEntries(b.profilePrefixes, list),
    textPrefixes: hashEntries(b.textPrefixes, list),
    folders: hashEntries(b.folders, list),
    badge: { shared: b.badge.shared, fresh: b.badge.fresh, staff: byKey([...b.badge.staff].map(([k, v]) => [k, v] as const)) },
  })),
});

export const snapshotAlerts = (s: AlertsState): unknown => ({
  conversations: hashEntries(s.conversations, (c) => c),
  clientNames: hashEntries(s.clientNames, (n) => n),
  recent: sortedEntries(s.recent, (k, v) => [k, v]),
});

export const snapshotUsage = (s: UsageState): unknown => ({
  conversations: hashEntries(s.conversations, (b) => b),
  businesses: sortedEntries(s.businesses, (k, b) => [k, b.plans, sortedEntries(b.periods, (p, c) => [p, c])]),
});

export const foldAll = <S>(initial: S, fold: (s: S, batch: ReadonlyArray<EventEnvelope>) => S, log: ReadonlyArray<EventEnvelope>): S => fold(initial, log);

export const foldSplit = <S>(
  initial: S,
  fold: (s: S, batch: ReadonlyArray<EventEnvelope>) => S,
  log: ReadonlyArray<EventEnvelope>,
  cuts: ReadonlyArray<number>,
): S => splitAt(log, cuts).reduce(fold, initial);

/** Every conversation of a business with its final decider state. */
export const conversationsOf = (world: World, businessId: BusinessId): ReadonlyArray<ConversationFacts> =>
  [...world.conversations.values()].filter((c) => c.businessId === businessId);

export interface ReferenceRow {
  readonly conversationId: ConversationId;
  readonly folder: Folder;
  readonly unreadCount: number;
}

/** V4–V7 from the decider's own state: what every inbox row must say. */
export const referenceRow = (c: ConversationFacts, viewer: StaffId, individual: boolean): ReferenceRow => ({
  conversationId: c.conversationId,
  folder: folderFor(c.state, viewer, individual),
  unreadCount: unreadCountFor(c.state, viewer, individual),
});

/** Inbox order from the decider's states: newest last activity first, ties by id. */
export const compareConversations = (a: ConversationFacts, b: ConversationFacts): number => {
  const at = (c: ConversationFacts): string => c.state.lastActivityAt ?? c.state.identity?.startedAt ?? '';
  return at(a) > at(b) ? -1 : at(a) < at(b) ? 1 : a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0;
};

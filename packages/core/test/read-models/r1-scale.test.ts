/**
 * A business with hundreds of conversations, so posting lists grow into bitsets (and shrink back) inside
 * the inbox, chunks of the order index split and merge, and pages walk the inbox order instead of sorting
 * a few candidates. One seeded history, decided by the real deciders, checked against their states.
 */
import { describe, expect, it } from 'vitest';
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { ClientId } from '@message-center/core';
import { conversationStream, folderFor, unreadCountFor } from '@message-center/core/internals';
import { mobileArb } from '@message-center/testing';
import { emptyInbox, foldInbox, type InboxState } from '../../src/read-models/inbox.js';
import { inboxPage, unreadBadge, type InboxQuery, type InboxRow, type InboxView } from '../../src/read-models/inbox-query.js';
import { compareConversations, conversationsOf, foldSplit, snapshotInbox } from './support.js';
import { B1, GROUPS, LOCATIONS, NAMES, S1, STAFF, TYPES, must, runWorld, viewerOf, type WorldCommand } from './world.js';

const N = 600;
const STEPS = 3000;

const world = (() => {
  const clients = Array.from({ length: N }, (_, i) => must(ClientId.is, `client-${i}`));
  const phones = fc.sample(fc.uniqueArray(mobileArb(), { minLength: N + 2, maxLength: N + 2 }), { numRuns: 1, seed: 1 })[0] ?? [];
  let seed = 7;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed % n;
  };
  const profiles = clients.map(
    (_, client): WorldCommand => ({
      kind: 'profile',
      business: 0,
      client,
      name: next(NAMES.length),
      email: next(2) === 0,
      phone: 'own',
      type: next(TYPES.length),
      groups: [next(GROUPS.length)],
      location: next(3) === 0 ? null : next(LOCATIONS.length),
    }),
  );
  const steps = Array.from({ length: STEPS }, (): WorldCommand => {
    const target = { kind: 'client' as const, index: next(N) };
    const roll = next(20);
    if (roll < 7) return { kind: 'inbound', business: 0, target, body: next(4) === 0 ? 6 : next(3), media: 0 };
    if (roll < 12) return { kind: 'send', business: 0, target, staff: next(STAFF.length), body: next(3) };
    if (roll < 16) return { kind: 'read', business: 0, target, staff: next(STAFF.length), unread: next(5) === 0 };
    if (roll < 19)
      return { kind: 'toggle', business: 0, target, staff: 0, toggle: (['Archive', 'Unarchive', 'Mute', 'Unmute', 'Pin', 'Unpin'] as const)[next(6)] ?? 'Archive' };
    // Profile changes move clients between filter and search postings (and shrink some back to lists).
    return { kind: 'profile', business: 0, client: target.index, name: next(NAMES.length), email: true, phone: 'own', type: 0, groups: [], location: null };
  });
  return runWorld([...profiles, ...steps], { phones: [phones.slice(0, N), phones.slice(0, N)], strangers: phones.slice(N), individual: [true, false], gaps: [1, 0, 1], late: [false] }, clients);
})();

const rowsOf = (state: InboxState, query: InboxQuery): ReadonlyArray<InboxRow> => {
  const rows: InboxRow[] = [];
  let cursor: string | undefined;
  for (;;) {
    const p = inboxPage(state, { ...query, cursor, limit: 50 });
    if (E.isLeft(p)) return expect.fail(p.left.message);
    rows.push(...p.right.rows);
    if (p.right.nextCursor === null) return rows;
    cursor = p.right.nextCursor;
  }
};

describe('R1 inbox at scale', () => {
  const state = foldSplit(emptyInbox, foldInbox, world.log, [97, 1000, 1001, 2500, 4000]);

  it('R1 R2 R3 R4 hundreds of conversations: any split of the log equals one fold', () => {
    expect(world.conversations.size).toBeGreaterThan(400);
    expect(snapshotInbox(state)).toEqual(snapshotInbox(foldInbox(emptyInbox, world.log)));
  });

  it('R1 V4–V9 every view, page by page, lists exactly its conversations in order, with the decider\'s folders', () => {
    const individual = world.individual.get(B1) ?? false;
    for (const staffId of STAFF) {
      for (const view of ['all', 'unread', 'read', 'replied', 'archived'] satisfies ReadonlyArray<InboxView>) {
        const rows = rowsOf(state, { viewer: viewerOf(B1, staffId), businessId: B1, view });
        const inView = conversationsOf(world, B1)
          .filter((c) => (view === 'all' ? !c.state.archived : folderFor(c.state, staffId, individual) === view))
          .sort(compareConversations);
        const expected = view === 'all' ? [...inView.filter((c) => c.state.pinned), ...inView.filter((c) => !c.state.pinned)] : inView.filter((c) => !c.state.pinned);
        expect(rows.map((r) => r.conversationId)).toEqual(expected.map((c) => c.conversationId));
        for (const r of rows) {
          const c = world.conversations.get(conversationStream(B1, r.conversationId));
          expect(r.unreadCount).toBe(c === undefined ? -1 : unreadCountFor(c.state, staffId, individual));
        }
      }
      const badge = unreadBadge(state, { viewer: viewerOf(B1, staffId), businessId: B1 });
      const expected = conversationsOf(world, B1)
        .filter((c) => !c.state.muted)
        .reduce((n, c) => n + unreadCountFor(c.state, staffId, individual), 0);
      expect(E.isRight(badge) ? badge.right : -1).toBe(expected);
    }
  });

  it('R2 R3 searches and filters over hundreds of conversations match the profiles', () => {
    const viewer = viewerOf(B1, S1);
    const profileOf = (id: string) => world.profiles.get(`${B1}\u0000${id}`);
    const smith = rowsOf(state, { viewer, businessId: B1, search: 'smith', filters: { clientTypes: ['member', 'guest'] } });
    const expected = conversationsOf(world, B1).filter((c) => {
      const p = profileOf(c.conversationId);
      const words = `${p?.name ?? ''} ${p?.email ?? ''}`.toLowerCase().split(/[^a-z]+/);
      return !c.state.archived && !c.state.pinned && (p?.clientType === 'member' || p?.clientType === 'guest') && words.some((w) => w.startsWith('smith'));
    });
    expect(smith.map((r) => r.conversationId).sort()).toEqual(expected.map((c) => c.conversationId).sort());
    const yoga = rowsOf(state, { viewer, businessId: B1, view: 'archived', filters: { groups: ['yoga'] } });
    expect(yoga.map((r) => r.conversationId).sort()).toEqual(
      conversationsOf(world, B1)
        .filter((c) => c.state.archived && !c.state.pinned && profileOf(c.conversationId)?.groups.includes('yoga') === true)
        .map((c) => c.conversationId)
        .sort(),
    );
  });
});

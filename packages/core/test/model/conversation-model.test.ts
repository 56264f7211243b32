/**
 * Model-based test of one conversation's folders and unread counts (V4–V7, with B3), driven through the
 * facade on the in-memory store, so every step also goes through the command handler, the codecs and the
 * store. The reference model knows nothing of events or immer: plain counters and lists.
 */
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { expect } from 'vitest';
import { E164, SEND_PERMISSION, type ConversationView, type MessageCenterError, type StaffActor } from '@message-center/core';
import { staff } from '@message-center/testing';
import { B1, clientId, must, newWorld, ok, type World } from '../facade/support.js';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';

// ---------------------------------------------------------------- the reference model

type Folder = 'unread' | 'read' | 'replied' | 'archived';

interface Mark {
  /** The last message this reader has read (0: none). */
  readUpTo: number;
  /** Marked unread since that read. */
  marked: boolean;
}

interface Model {
  /** Messages so far, in and out; message n is number n. */
  messages: number;
  /** Number of the last outbound message (0: none). */
  lastOutbound: number;
  /** Numbers of the inbound messages. */
  inbound: Array<number>;
  /** Each staff member's own status (V7: always recorded). */
  own: Map<string, Mark>;
  /** The status everybody sees with B3 off: the last read or mark-unread by anyone. */
  shared: Mark;
  archived: boolean;
  /** B3. */
  individual: boolean;
  /** Provider ids delivered so far (for redeliveries). */
  delivered: Array<string>;
  nextProviderId: number;
}

const newModel = (): Model => ({
  messages: 0,
  lastOutbound: 0,
  inbound: [],
  own: new Map(),
  shared: { readUpTo: 0, marked: false },
  archived: false,
  individual: false,
  delivered: [],
  nextProviderId: 1,
});

/** V4 and V6 for one viewer, from the counters. */
const expectedView = (m: Model, viewer: string): { readonly folder: Folder; readonly unreadCount: number } => {
  const mark = m.individual ? (m.own.get(viewer) ?? { readUpTo: 0, marked: false }) : m.shared;
  let responsesSinceLastOutbound = 0;
  let unreadResponses = 0;
  for (const n of m.inbound) {
    if (n > m.lastOutbound) {
      responsesSinceLastOutbound += 1;
      if (n > mark.readUpTo) unreadResponses += 1;
    }
  }
  const unreadCount = mark.marked ? responsesSinceLastOutbound : unreadResponses;
  const folder: Folder = m.archived
    ? 'archived'
    : mark.marked || unreadCount > 0
      ? 'unread'
      : m.messages > 0 && m.lastOutbound === m.messages
        ? 'replied'
        : 'read';
  return { folder, unreadCount };
};

const markOf = (m: Model, staffId: string): Mark => {
  const existing = m.own.get(staffId);
  if (existing !== undefined) return existing;
  const fresh = { readUpTo: 0, marked: false };
  m.own.set(staffId, fresh);
  return fresh;
};

// ---------------------------------------------------------------- the real system

const BUSINESS_NUMBER = must(E164.is, '+12015550123');
const CLIENT_PHONE = must(E164.is, '+14155552671');
const C1 = clientId('c1');
const ACTORS = ['s1', 's2', 's3'] as const;
/** s4 never acts: with B3 on, it sees a conversation nobody has read for it. */
const VIEWERS: ReadonlyArray<StaffActor> = ['s1', 's2', 's3', 's4'].map((id) => staff(id, { permissions: [SEND_PERMISSION] }));
const sender = (id: string): StaffActor => staff(id);

interface Real {
  readonly world: World;
}

const setup = async (): Promise<{ model: Model; real: Real }> => {
  const world = newWorld({ withTransport: false });
  await ok(world.mc.enableMessageCenter({ businessId: B1, actor: { kind: 'host', businessId: B1 }, country: 'US', number: BUSINESS_NUMBER, allotment: { messagesPerPeriod: 1_000_000, overage: 'refuse' } }));
  await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: C1, uid: 'u1', name: 'Ann', cellPhone: CLIENT_PHONE }));
  return { model: newModel(), real: { world } };
};

const viewOf = (real: Real, viewer: StaffActor): Promise<E.Either<MessageCenterError, ConversationView>> =>
  real.world.mc.conversation({ businessId: B1, conversationId: C1, viewer })();

/** After every command: each viewer's folder and unread count are the model's. */
const checkViews = async (m: Model, real: Real): Promise<void> => {
  for (const viewer of VIEWERS) {
    const view = await viewOf(real, viewer);
    if (m.messages === 0) {
      expect(E.isLeft(view) ? view.left.code : view.right).toBe('conversation-not-found');
      continue;
    }
    if (E.isLeft(view)) throw new Error(`conversation as ${viewer.staffId}: ${view.left.code} ${view.left.message}`);
    expect({ viewer: viewer.staffId, folder: view.right.folder, unreadCount: view.right.unreadCount }).toEqual({
      viewer: viewer.staffId,
      ...expectedView(m, viewer.staffId),
    });
    expect(view.right.messageCount).toBe(m.messages);
    expect(view.right.archived).toBe(m.archived);
  }
};

/** A conversation action before the first message has no conversation to act on. */
const expectNotFoundOrOk = async (m: Model, task: () => Promise<E.Either<MessageCenterError, void>>): Promise<boolean> => {
  const result = await task();
  if (m.messages === 0) {
    expect(E.isLeft(result) ? result.left.code : 'accepted').toBe('conversation-not-found');
    return false;
  }
  if (E.isLeft(result)) throw new Error(`refused: ${result.left.code} ${result.left.message}`);
  return true;
};

type Cmd = fc.AsyncCommand<Model, Real>;

class Send implements Cmd {
  constructor(readonly staffId: string) {}
  check = (): boolean => true;
  async run(m: Model, real: Real): Promise<void> {
    await ok(real.world.mc.sendMessage({ businessId: B1, clientId: C1, actor: sender(this.staffId), body: `from ${this.staffId}` }));
    m.messages += 1;
    m.lastOutbound = m.messages;
    // V5: an outbound message takes the conversation out of the archive, to Replied — so it also answers
    // every mark-unread reminder (a marked conversation would otherwise stay in Unread).
    m.archived = false;
    m.shared.marked = false;
    for (const mark of m.own.values()) mark.marked = false;
    await checkViews(m, real);
  }
  toString = (): string => `send(${this.staffId})`;
}

class Inbound implements Cmd {
  check = (): boolean => true;
  async run(m: Model, real: Real): Promise<void> {
    const providerMessageId = `SM${String(m.nextProviderId).padStart(6, '0')}`;
    m.nextProviderId += 1;
    const received = await ok(real.world.mc.receiveInbound({ to: BUSINESS_NUMBER, from: CLIENT_PHONE, body: 'a question', providerMessageId }));
    expect(received.duplicate).toBe(false);
    m.delivered.push(providerMessageId);
    m.messages += 1;
    m.inbound.push(m.messages);
    // V5: an inbound message takes it out of the archive (to Unread: the message is unread for everyone).
    m.archived = false;
    await checkViews(m, real);
  }
  toString = (): string => 'inbound';
}

class Redeliver implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>): boolean => m.delivered.length > 0;
  async run(m: Model, real: Real): Promise<void> {
    const providerMessageId = m.delivered[this.pick % m.delivered.length];
    if (providerMessageId === undefined) throw new Error('nothing delivered yet');
    const received = await ok(real.world.mc.receiveInbound({ to: BUSINESS_NUMBER, from: CLIENT_PHONE, body: 'a question', providerMessageId }));
    expect(received.duplicate).toBe(true);
    await checkViews(m, real);
  }
  toString = (): string => `redeliver(#${this.pick})`;
}

class MarkRead implements Cmd {
  constructor(readonly staffId: string) {}
  check = (): boolean => true;
  async run(m: Model, real: Real): Promise<void> {
    const actor = staff(this.staffId, { permissions: [SEND_PERMISSION] });
    if (await expectNotFoundOrOk(m, real.world.mc.markRead({ businessId: B1, conversationId: C1, actor }))) {
      const own = markOf(m, this.staffId);
      own.readUpTo = Math.max(own.readUpTo, m.messages);
      own.marked = false;
      m.shared.readUpTo = Math.max(m.shared.readUpTo, m.messages);
      m.shared.marked = false;
    }
    await checkViews(m, real);
  }
  toString = (): string => `markRead(${this.staffId})`;
}

class MarkUnread implements Cmd {
  constructor(readonly staffId: string) {}
  check = (): boolean => true;
  async run(m: Model, real: Real): Promise<void> {
    const actor = staff(this.staffId, { permissions: [SEND_PERMISSION] });
    if (await expectNotFoundOrOk(m, real.world.mc.markUnread({ businessId: B1, conversationId: C1, actor }))) {
      markOf(m, this.staffId).marked = true;
      m.shared.marked = true;
    }
    await checkViews(m, real);
  }
  toString = (): string => `markUnread(${this.staffId})`;
}

class Archive implements Cmd {
  constructor(
    readonly staffId: string,
    readonly archive: boolean,
  ) {}
  check = (): boolean => true;
  async run(m: Model, real: Real): Promise<void> {
    const input = { businessId: B1, conversationId: C1, actor: sender(this.staffId) };
    if (await expectNotFoundOrOk(m, this.archive ? real.world.mc.archive(input) : real.world.mc.unarchive(input))) m.archived = this.archive;
    await checkViews(m, real);
  }
  toString = (): string => `${this.archive ? 'archive' : 'unarchive'}(${this.staffId})`;
}

/** Pin and mute are not about folders (V8, V9): they change none, except that pinning an archived conversation unarchives it. */
class PinOrMute implements Cmd {
  constructor(readonly which: 'pin' | 'unpin' | 'mute' | 'unmute') {}
  check = (): boolean => true;
  async run(m: Model, real: Real): Promise<void> {
    if (await expectNotFoundOrOk(m, real.world.mc[this.which]({ businessId: B1, conversationId: C1, actor: sender('s1') })) && this.which === 'pin')
      m.archived = false;
    await checkViews(m, real);
  }
  toString = (): string => this.which;
}

class SetIndividual implements Cmd {
  constructor(readonly individual: boolean) {}
  check = (): boolean => true;
  async run(m: Model, real: Real): Promise<void> {
    await ok(real.world.mc.setIndividualReadStatus({ businessId: B1, actor: { kind: 'host', businessId: B1 }, individual: this.individual }));
    m.individual = this.individual;
    await checkViews(m, real);
  }
  toString = (): string => `individualReadStatus(${this.individual ? 'on' : 'off'})`;
}

const actorArb = fc.constantFrom(...ACTORS);

const commandArbs: ReadonlyArray<fc.Arbitrary<Cmd>> = [
  actorArb.map((s) => new Send(s)),
  fc.constant(new Inbound()),
  fc.constant(new Inbound()),
  fc.nat({ max: 20 }).map((pick) => new Redeliver(pick)),
  actorArb.map((s) => new MarkRead(s)),
  actorArb.map((s) => new MarkUnread(s)),
  fc.tuple(actorArb, fc.boolean()).map(([s, archive]) => new Archive(s, archive)),
  fc.constantFrom('pin' as const, 'unpin' as const, 'mute' as const, 'unmute' as const).map((which) => new PinOrMute(which)),
  fc.boolean().map((individual) => new SetIndividual(individual)),
];

test.prop([fc.commands([...commandArbs], { maxCommands: 25, size: '+1' })], { numRuns: heavyRuns(30) })(
  'V4–V7 model: every viewer\'s folder and unread count follow the reference model through sends, inbound, redeliveries, read/unread by s1–s3, archive/unarchive and B3 toggles',
  async (commands) => {
    await fc.asyncModelRun(setup, commands);
  },
  HEAVY_TIMEOUT,
);

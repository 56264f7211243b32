import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { type StaffId } from '@message-center/core';
import type { ConversationState } from '@message-center/core/internals';
import { conversationDecider, folderFor, unreadCountFor, type ConversationEvent } from '@message-center/core/internals';
import { FIXTURE, bodyArb, deciderSpec, historyArb, staff } from '@message-center/testing';
import {
  VIEWERS,
  accepted,
  allowedSenderArb,
  decide,
  inbound,
  initial,
  markRead,
  markUnread,
  momentsOf,
  outcome,
  recorded,
  referenceView,
  send,
  startedHistoryArb,
  step,
  toggle,
  viewer,
  type ReferenceView,
} from './support.js';
import { HEAVY_TIMEOUT } from '../heavy-property.js';

const spec = deciderSpec(conversationDecider);

const MODES = [false, true] as const;
const modeName = (individual: boolean): string => (individual ? 'B3 on' : 'B3 off');

const viewOf = (state: ConversationState, id: StaffId, individual: boolean): ReferenceView => ({
  folder: folderFor(state, id, individual),
  unreadCount: unreadCountFor(state, id, individual),
});

/** Every viewer's folder and count, in both B3 modes, as the decider's state gives them. */
const views = (state: ConversationState): ReadonlyArray<readonly [string, ReferenceView]> =>
  MODES.flatMap((individual) => VIEWERS.map((id) => [`${modeName(individual)} ${id}`, viewOf(state, id, individual)] as const));

const referenceViews = (events: ReadonlyArray<ConversationEvent>): ReadonlyArray<readonly [string, ReferenceView]> =>
  MODES.flatMap((individual) => VIEWERS.map((id) => [`${modeName(individual)} ${id}`, referenceView(events, id, individual)] as const));

const viewerIdArb = fc.constantFrom(...VIEWERS);
const clientResponses = (events: ReadonlyArray<ConversationEvent>): number => {
  let n = 0;
  for (const e of events) {
    if (e.type === 'OutboundSent') n = 0;
    if (e.type === 'InboundReceived') n += 1;
  }
  return n;
};

describe('V4–V7 folders and unread counts', () => {
  test.prop([historyArb(50)])(
    'V4 the folder of every viewer after every step equals the reference computed from the events (B3 off and on)',
    (history) => {
      for (const moment of momentsOf(history)) {
        const actual = views(moment.state).map(([who, v]) => [who, v.folder]);
        const expected = referenceViews(moment.events).map(([who, v]) => [who, v.folder]);
        expect(actual).toEqual(expected);
      }
    },
    HEAVY_TIMEOUT,
  );

  test.prop([startedHistoryArb(40)])(
    'V6 the unread count of every viewer after every step equals the reference computed from the events (B3 off and on)',
    (history) => {
      for (const moment of momentsOf(history)) {
        const actual = views(moment.state).map(([who, v]) => [who, v.unreadCount]);
        const expected = referenceViews(moment.events).map(([who, v]) => [who, v.unreadCount]);
        expect(actual).toEqual(expected);
      }
    },
  );

  test.prop([startedHistoryArb(30), allowedSenderArb])('V5 archive → outbound → Replied, for every viewer', (history, actor) => {
    fc.pre(history.state.subscription.status === 'subscribed');
    const archived = step(history.state, toggle('Archive', actor)).state;
    expect(views(archived).every(([, v]) => v.folder === 'archived')).toBe(true);
    const answered = step(archived, send({ actor, id: 'fresh-out' }));
    expect(views(answered.state).map(([who, v]) => [who, v.folder, v.unreadCount])).toEqual(views(answered.state).map(([who]) => [who, 'replied', 0]));
  });

  test.prop([startedHistoryArb(30), allowedSenderArb, bodyArb])('V5 archive → inbound → Unread, for every viewer', (history, actor, body) => {
    const archived = step(history.state, toggle('Archive', actor)).state;
    const received = step(archived, inbound({ sid: 'SM-fresh', body })).state;
    expect(views(received).map(([who, v]) => [who, v.folder])).toEqual(views(received).map(([who]) => [who, 'unread']));
    expect(views(received).every(([, v]) => v.unreadCount >= 1)).toBe(true);
  });

  test.prop([startedHistoryArb(30), allowedSenderArb])(
    'V5 unarchive returns the conversation to the folder V4 gives (the folder before it was archived)',
    (history, actor) => {
      // Out of the archive first, if the history left it there: that is the V4 folder to come back to.
      const start = history.state.archived ? step(history.state, toggle('Unarchive', actor)).state : history.state;
      const before = views(start);
      const archived = step(start, toggle('Archive', actor));
      const back = step(archived.state, toggle('Unarchive', actor));
      expect(views(back.state)).toEqual(before);
      const events = [...history.events, ...archived.events, ...back.events];
      expect(referenceViews(events)).toEqual(before);
    },
  );

  test.prop([startedHistoryArb(40), viewerIdArb, fc.constantFrom(...MODES)])(
    'V6 mark as unread shows the client responses since the last outbound (may be 0), folder Unread; reading clears it for that viewer',
    (history, id, individual) => {
      fc.pre(!history.state.archived);
      const marked = step(history.state, markUnread(viewer(id)));
      expect(viewOf(marked.state, id, individual)).toEqual({ folder: 'unread', unreadCount: clientResponses(history.events) });
      const read = step(marked.state, markRead(viewer(id)));
      const after = viewOf(read.state, id, individual);
      expect(after.unreadCount).toBe(0);
      expect(after.folder).not.toBe('unread');
      expect(after.folder).toBe(referenceView([...history.events, ...marked.events, ...read.events], id, individual).folder);
    },
  );

  test.prop([startedHistoryArb(40), viewerIdArb, fc.constantFrom('read' as const, 'unread' as const)])(
    'V7 with B3 off a read or mark-unread by anyone applies to all; with B3 on only to the reader',
    (history, reader, action) => {
      const before = history.state;
      const command = action === 'read' ? markRead(viewer(reader)) : markUnread(viewer(reader));
      const after = step(before, command).state;
      for (const id of VIEWERS) {
        const shared = viewOf(after, id, false);
        const own = viewOf(after, id, true);
        if (action === 'read') {
          // B3 off: everyone has read it; B3 on: only the reader.
          expect(shared.unreadCount).toBe(0);
          expect(shared.folder).not.toBe('unread');
          if (id === reader) expect(own).toEqual(shared);
        } else if (!before.archived) {
          expect(shared.folder).toBe('unread');
          if (id === reader) expect(own).toEqual(shared);
        }
        // B3 on: nobody else's status moved.
        if (id !== reader) expect(own).toEqual(viewOf(before, id, true));
      }
    },
  );

  test.prop([startedHistoryArb(40), viewerIdArb])(
    'V7 read status is always recorded per staff member (whatever B3 says), up to the last message',
    (history, id) => {
      const after = step(history.state, markRead(viewer(id))).state;
      expect(after.staffRead.get(id)).toEqual({ readUpToSeq: history.state.lastSeq, markedUnread: false });
      const others = VIEWERS.filter((v) => v !== id);
      for (const other of others) expect(after.staffRead.get(other)).toEqual(history.state.staffRead.get(other));
    },
  );

  test.prop([startedHistoryArb(30), viewerIdArb, fc.constantFrom('read' as const, 'unread' as const)])(
    'V6 reading or marking unread twice decides nothing the second time',
    (history, id, action) => {
      const command = action === 'read' ? markRead(viewer(id)) : markUnread(viewer(id));
      const once = step(history.state, command).state;
      expect(outcome(decide(command, once))).toEqual([]);
    },
  );

  test.prop([viewerIdArb, fc.constantFrom('read' as const, 'unread' as const)])(
    'V4 reading a conversation that does not exist is refused conversation-not-found',
    (id, action) => {
      expect(outcome(decide(action === 'read' ? markRead(viewer(id)) : markUnread(viewer(id)), initial))).toBe('conversation-not-found');
    },
  );

  test.prop([startedHistoryArb(30), viewerIdArb, fc.constantFrom('read' as const, 'unread' as const)])(
    'V7 staff of another business may neither read nor mark unread',
    (history, id, action) => {
      const stranger = staff(id, { businessId: FIXTURE.otherBusinessId, permissions: [] });
      expect(outcome(decide(action === 'read' ? markRead(stranger) : markUnread(stranger), history.state))).toBe('forbidden');
    },
  );
});

// ------------------------------------------------------------------------------------------------ model-based

/** A simple reference model of V4–V7: the messages in order, the archive flag, and each read status. */
interface Mark {
  readUpTo: number;
  marked: boolean;
}
interface Model {
  readonly messages: Array<'in' | 'out'>;
  archived: boolean;
  shared: Mark;
  readonly own: Map<StaffId, Mark>;
  nextId: number;
}
interface Real {
  state: ConversationState;
}

const modelView = (m: Model, id: StaffId, individual: boolean): ReferenceView => {
  const mark = individual ? (m.own.get(id) ?? { readUpTo: 0, marked: false }) : m.shared;
  const lastOut = m.messages.lastIndexOf('out') + 1;
  const inboundSince = m.messages.flatMap((d, i) => (d === 'in' && i + 1 > lastOut ? [i + 1] : []));
  const unreadCount = mark.marked ? inboundSince.length : inboundSince.filter((seq) => seq > mark.readUpTo).length;
  const folder = m.archived
    ? 'archived'
    : mark.marked || unreadCount > 0
      ? 'unread'
      : m.messages[m.messages.length - 1] === 'out'
        ? 'replied'
        : 'read';
  return { folder, unreadCount };
};

const command = (name: string, check: (m: Readonly<Model>) => boolean, apply: (m: Model, r: Real) => void): fc.Command<Model, Real> => ({
  check,
  run: (m, r) => {
    apply(m, r);
    for (const individual of MODES)
      for (const id of VIEWERS) expect([modeName(individual), id, viewOf(r.state, id, individual)]).toEqual([modeName(individual), id, modelView(m, id, individual)]);
  },
  toString: () => name,
});

const exists = (m: Readonly<Model>): boolean => m.messages.length > 0;

const modelCommandsArb = fc.commands(
  [
    fc.constant(
      command('client writes', () => true, (m, r) => {
        m.nextId += 1;
        r.state = step(r.state, inbound({ sid: `SM-model-${m.nextId}`, body: 'Are you open?' })).state;
        m.messages.push('in');
        m.archived = false;
      }),
    ),
    allowedSenderArb.map((actor) =>
      command(`replies (${actor.kind})`, () => true, (m, r) => {
        m.nextId += 1;
        r.state = step(r.state, send({ actor, id: `model-${m.nextId}` })).state;
        m.messages.push('out');
        m.archived = false;
        m.shared.marked = false;
        for (const mark of m.own.values()) mark.marked = false;
      }),
    ),
    viewerIdArb.map((id) =>
      command(`${id} reads`, exists, (m, r) => {
        r.state = step(r.state, markRead(viewer(id))).state;
        m.own.set(id, { readUpTo: m.messages.length, marked: false });
        m.shared = { readUpTo: m.messages.length, marked: false };
      }),
    ),
    viewerIdArb.map((id) =>
      command(`${id} marks unread`, exists, (m, r) => {
        r.state = step(r.state, markUnread(viewer(id))).state;
        m.own.set(id, { readUpTo: m.own.get(id)?.readUpTo ?? 0, marked: true });
        m.shared.marked = true;
      }),
    ),
    fc.boolean().map((archive) =>
      command(archive ? 'archive' : 'unarchive', exists, (m, r) => {
        r.state = step(r.state, toggle(archive ? 'Archive' : 'Unarchive')).state;
        m.archived = archive;
      }),
    ),
  ],
  { maxCommands: 40 },
);

describe('V4–V7 model-based', () => {
  test.prop([modelCommandsArb])(
    'V4–V7 model-based (fc.commands): every viewer’s folder and unread count, B3 off and on, follow a simple reference model',
    (commands) => {
      fc.modelRun(() => ({ model: { messages: [], archived: false, shared: { readUpTo: 0, marked: false }, own: new Map(), nextId: 0 }, real: { state: initial } }), commands);
    },
  );
});

describe('V4–V7 specs', () => {
  const s1 = viewer('s1');
  const s2 = viewer('s2');
  const asked = recorded(inbound({ sid: 'SM1', body: 'Can I come at 10?' }));
  const answered = recorded(inbound({ sid: 'SM1', body: 'Can I come at 10?' }), send({ id: 'm1' }));
  const twoAnswersAfterReply = recorded(inbound({ sid: 'SM1' }), send({ id: 'm1' }), inbound({ sid: 'SM2' }), inbound({ sid: 'SM3' }));
  const stateOf = (events: ReadonlyArray<ConversationEvent>): ConversationState => conversationDecider.fold(conversationDecider.initialState, events);

  it('V4 a new client message is Unread; answered it is Replied; read it is Read', () => {
    expect(folderFor(stateOf(asked), s1.staffId, false)).toBe('unread');
    expect(folderFor(stateOf(answered), s1.staffId, false)).toBe('replied');
    const read = [...asked, ...accepted(decide(markRead(s1), stateOf(asked)))];
    expect(folderFor(stateOf(read), s1.staffId, false)).toBe('read');
  });

  it('V5 archiving records ConversationArchived; archiving again decides nothing', () => {
    const decided = spec.given(answered).when(toggle('Archive')).decision();
    expect(outcome(decided)).toMatchObject([{ type: 'ConversationArchived' }]);
    spec.given([...answered, ...accepted(decided)]).when(toggle('Archive')).then([]);
  });

  it('V6 mark unread records ConversationMarkedUnread and shows the 2 responses since the reply', () => {
    const decided = spec.given(twoAnswersAfterReply).when(markUnread(s1)).decision();
    const events = [...twoAnswersAfterReply, ...accepted(decided)];
    expect(outcome(decided)).toMatchObject([{ type: 'ConversationMarkedUnread', data: { staffId: 's1' } }]);
    expect(unreadCountFor(stateOf(events), s1.staffId, true)).toBe(2);
  });

  it('V6 mark unread right after a reply shows 0 responses but the Unread folder', () => {
    const events = [...answered, ...accepted(decide(markUnread(s1), stateOf(answered)))];
    expect([folderFor(stateOf(events), s1.staffId, false), unreadCountFor(stateOf(events), s1.staffId, false)]).toEqual(['unread', 0]);
  });

  it('V7 a read records the reader and the last message read', () => {
    const decided = spec.given(twoAnswersAfterReply).when(markRead(s2)).decision();
    expect(outcome(decided)).toMatchObject([{ type: 'ConversationRead', data: { staffId: 's2', upToSeq: 4 } }]);
    const state = stateOf([...twoAnswersAfterReply, ...accepted(decided)]);
    expect([folderFor(state, s1.staffId, false), folderFor(state, s1.staffId, true), folderFor(state, s2.staffId, true)]).toEqual(['read', 'unread', 'read']);
  });
});

/**
 * B0 (issue 11): every command and query of the authorization table, asked by every kind of actor — staff
 * with any set of permissions, an automation, the host — of this business, of another one, or of a
 * look-alike id. The facade answers exactly as the table says: allowed, or refused before anything is read
 * or appended.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { AUTHORIZATION, E164, PERMISSIONS, type MessageCenter, type Operation } from '@message-center/core';
import { adversarialConversationIdArb } from '@message-center/testing';
import { B1, B2, enableUs, globalLog, must, newWorld, ok, staffOf, type World } from '../facade/support.js';

const N1 = must(E164.is, '+12015550123');
const PHONE = '+14155552671';

interface AnyActor {
  readonly kind: 'staff' | 'automation' | 'host';
  readonly businessId: string;
  readonly staffId?: string;
  readonly permissions?: ReadonlyArray<string>;
  readonly name?: string;
}

const actorOf = (kind: AnyActor['kind'], businessId: string, permissions: ReadonlyArray<string>): AnyActor =>
  kind === 'staff'
    ? { kind, businessId, staffId: 's1', permissions }
    : kind === 'automation'
      ? { kind, businessId, name: 'reminders' }
      : { kind, businessId };

/** The input of each operation, asked by `actor` about business b1's client c1. */
interface Where {
  readonly businessId: string;
  /** The client or conversation the call is about. */
  readonly target: string;
}
const B1_C1: Where = { businessId: B1, target: 'c1' };

const CALLS: { readonly [O in Operation]: (mc: MessageCenter, actor: AnyActor, where?: Where) => Promise<unknown> } = {
  enableMessageCenter: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'enableMessageCenter', { businessId, actor, country: 'US', number: N1, allotment: { messagesPerPeriod: 9, overage: 'refuse' } }),
  changeNumber: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'changeNumber', { businessId, actor, number: '+12015550124' }),
  suggestNumbers: (mc, actor, { businessId } = B1_C1) => call(mc, 'suggestNumbers', { businessId, actor, country: 'US' }),
  changePlan: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'changePlan', { businessId, actor, allotment: { messagesPerPeriod: 7, overage: 'allow' } }),
  setIndividualReadStatus: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'setIndividualReadStatus', { businessId, actor, individual: true }),
  recordClient: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'recordClient', { businessId, actor, clientId: 'c2', uid: 'u2', name: 'Bea', cellPhone: '+14155550100' }),
  usage: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'usage', { businessId, viewer: actor }),
  sendMessage: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'sendMessage', { businessId, clientId: target, actor, body: 'Hello' }),
  archive: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'archive', { businessId, conversationId: target, actor }),
  unarchive: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'unarchive', { businessId, conversationId: target, actor }),
  mute: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'mute', { businessId, conversationId: target, actor }),
  unmute: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'unmute', { businessId, conversationId: target, actor }),
  pin: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'pin', { businessId, conversationId: target, actor }),
  unpin: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'unpin', { businessId, conversationId: target, actor }),
  markRead: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'markRead', { businessId, conversationId: target, actor }),
  markUnread: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'markUnread', { businessId, conversationId: target, actor }),
  conversation: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'conversation', { businessId, conversationId: target, viewer: actor }),
  inbox: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'inbox', { businessId, viewer: actor, search: 'an' }),
  findClients: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'findClients', { businessId, viewer: actor, query: target }),
  unreadBadge: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'unreadBadge', { businessId, viewer: actor }),
  alerts: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'alerts', { businessId, viewer: actor }),
  contactHistory: (mc, actor, { businessId, target } = B1_C1) => call(mc, 'contactHistory', { businessId, viewer: actor, clientId: target }),
};

/** Calls a facade method with an untyped input, as a host in JavaScript may. */
const call = async (mc: MessageCenter, method: keyof MessageCenter, input: unknown): Promise<unknown> => {
  const f: unknown = mc[method];
  if (typeof f !== 'function') throw new Error(`${method} is not a method`);
  const task: unknown = Reflect.apply(f, mc, [input]);
  return typeof task === 'function' ? Reflect.apply(task, undefined, []) : task;
};

const codeOf = (answer: unknown): string | null =>
  typeof answer === 'object' && answer !== null && '_tag' in answer && answer._tag === 'Left' && 'left' in answer && typeof answer.left === 'object' && answer.left !== null && 'code' in answer.left && typeof answer.left.code === 'string'
    ? answer.left.code
    : null;

/** b1 enabled with client c1, who has written in, so every operation has something to act on. */
const seeded = async (): Promise<World> => {
  const world = newWorld();
  await enableUs(world, B1, N1);
  await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'c1', uid: 'u1', name: 'Ana', cellPhone: PHONE }));
  await ok(world.mc.receiveInbound({ to: N1, from: PHONE, body: 'Hi', providerMessageId: 'SM0123456789abcdef0123456789abcdef' }));
  return world;
};

const OPERATIONS = Object.keys(CALLS).filter((o): o is Operation => o in AUTHORIZATION);
const permissionsArb = fc.subarray([PERMISSIONS.sendEmailSms, PERMISSIONS.manageMessageCenter, PERMISSIONS.manageClients, 'view-reports', 'send-email']);
/** This business, another one, and ids that look like it: separators, case, prefixes, reserved prefixes. */
const businessArb = fc.constantFrom(B1, B1, B1, 'b2', 'B1', 'b1-', 'b1%2D', 'b', 'b1-x', 'tel:b1', 'b1\u200b', 'ｂ1');

const allowedByTable = (operation: Operation, actor: AnyActor): boolean => {
  if (actor.businessId !== B1) return false;
  const rule = AUTHORIZATION[operation];
  if (actor.kind === 'staff') return rule.staff !== null && (actor.permissions ?? []).includes(rule.staff);
  return actor.kind === 'automation' ? rule.automation : rule.host;
};

describe('B0 authorization', () => {
  test.prop([fc.constantFrom(...OPERATIONS), fc.constantFrom('staff' as const, 'automation' as const, 'host' as const), businessArb, permissionsArb], { numRuns: 300 })(
    'B0 every command and query is allowed exactly as the table says; a refusal appends nothing',
    async (operation, kind, businessId, permissions) => {
      const world = await seeded();
      const actor = actorOf(kind, businessId, permissions);
      const before = await globalLog(world.store);
      const code = codeOf(await CALLS[operation](world.mc, actor));
      if (allowedByTable(operation, actor)) {
        // Allowed: whatever the domain then says, it is not a refusal of who asked.
        expect(code === 'forbidden' || code === 'invalid-input' ? `${code} for an allowed actor` : 'ok').toBe('ok');
      } else {
        // Refused: forbidden, or invalid-input where the actor's kind or id cannot even name this operation's
        // actor (e.g. the host as a message's author, an id with a space); never anything else, nothing appended.
        expect(['forbidden', 'invalid-input']).toContain(code);
        expect((await globalLog(world.store)).length).toBe(before.length);
      }
    },
  );

  test.prop([fc.constantFrom(...OPERATIONS), permissionsArb], { numRuns: 100 })(
    'B0 staff of this business with the right kind but without the permission are refused exactly forbidden',
    async (operation, permissions) => {
      const rule = AUTHORIZATION[operation];
      if (rule.staff === null || permissions.includes(rule.staff)) return;
      const world = await seeded();
      const before = await globalLog(world.store);
      expect(codeOf(await CALLS[operation](world.mc, actorOf('staff', B1, permissions)))).toBe('forbidden');
      expect((await globalLog(world.store)).length).toBe(before.length);
    },
  );
});

describe('B0/R1 no business reaches another', () => {
  const SECRET = 'Your biopsy results are ready';
  /** b1 as seeded, with a secret message to c1; b2 enabled with a client of its own. */
  const twoBusinesses = async (): Promise<World> => {
    const world = await seeded();
    await ok(world.mc.sendMessage({ businessId: B1, clientId: 'c1', actor: staffOf(B1, 'dana'), body: SECRET }));
    await enableUs(world, B2, must(E164.is, '+12015550199'));
    await ok(world.mc.recordClient({ businessId: B2, actor: { kind: 'host', businessId: B2 }, clientId: 'own', uid: 'u9', name: 'Own Client', cellPhone: '+14155550199' }));
    return world;
  };
  const b1Events = async (world: World): Promise<number> => (await globalLog(world.store)).filter((e) => e.streamId.includes(B1)).length;

  test.prop(
    [
      fc.constantFrom(...OPERATIONS),
      fc.constantFrom('staff' as const, 'automation' as const, 'host' as const),
      fc.oneof(fc.constantFrom('c1', 'C1', 'c1 ', 'b1-c1', 'c1%2D', 'tel:+14155552671', 'tel:' + PHONE, 'ｃ1', 'c'.repeat(128), 'c'.repeat(129)), adversarialConversationIdArb),
    ],
    { numRuns: 300 },
  )('B0/R1 every command and query of a fully permitted actor of b2, about any id, returns and changes nothing of b1', async (operation, kind, target) => {
    const world = await twoBusinesses();
    const before = await b1Events(world);
    const actor = actorOf(kind, B2, Object.values(PERMISSIONS));
    const answer = JSON.stringify(await CALLS[operation](world.mc, actor, { businessId: B2, target }), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    // What the attacker typed may come back in an error message; nothing else of b1 may.
    for (const secret of [SECRET, 'Ana', PHONE, '"c1"', B1].filter((s) => !JSON.stringify(target).includes(s))) expect(answer).not.toContain(secret);
    expect(await b1Events(world)).toBe(before);
  });
});

describe('B0 the table follows the seeds', () => {
  // Seed 000: "Staff members must be assigned to a staff role with the Send Email/SMS to clients permission to
  // perform the actions described in this article": send, search, filter, view, mute/unmute, mark as unread,
  // archive, pin/unpin and the Display Statuses setting.
  const ARTICLE: ReadonlyArray<Operation> = [
    'sendMessage', 'inbox', 'conversation', 'unreadBadge', 'alerts', 'contactHistory', 'mute', 'unmute',
    'markRead', 'markUnread', 'archive', 'unarchive', 'pin', 'unpin', 'setIndividualReadStatus',
  ];
  test.prop([fc.constantFrom(...ARTICLE)])('B0 every action of the article needs send-email-sms from staff', (operation) => {
    expect(AUTHORIZATION[operation].staff).toBe(PERMISSIONS.sendEmailSms);
  });
  test.prop([fc.constantFrom<Operation>('enableMessageCenter', 'changeNumber', 'changePlan', 'recordClient', 'usage')])(
    'B0 set-up, client records and usage come from the host or staff with a separate, documented permission; never an automation',
    (operation) => {
      expect(AUTHORIZATION[operation].host).toBe(true);
      expect(AUTHORIZATION[operation].automation).toBe(false);
      expect(AUTHORIZATION[operation].staff).not.toBe(PERMISSIONS.sendEmailSms);
    },
  );
});

/**
 * B0 (issue 11): every command and query of the authorization table, asked by every kind of actor — staff
 * with any set of permissions, an automation, the host — of this business, of another one, or of a
 * look-alike id. The facade answers exactly as the table says: allowed, or refused before anything is read
 * or appended.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { AUTHORIZATION, E164, PERMISSIONS, type MessageCenter, type Operation } from '@message-center/core';
import { B1, enableUs, globalLog, must, newWorld, ok, type World } from '../facade/support.js';

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
const CALLS: { readonly [O in Operation]: (mc: MessageCenter, actor: AnyActor) => Promise<unknown> } = {
  enableMessageCenter: (mc, actor) => call(mc, 'enableMessageCenter', { businessId: B1, actor, country: 'US', number: N1, allotment: { messagesPerPeriod: 9, overage: 'refuse' } }),
  changeNumber: (mc, actor) => call(mc, 'changeNumber', { businessId: B1, actor, number: '+12015550124' }),
  changePlan: (mc, actor) => call(mc, 'changePlan', { businessId: B1, actor, allotment: { messagesPerPeriod: 7, overage: 'allow' } }),
  setIndividualReadStatus: (mc, actor) => call(mc, 'setIndividualReadStatus', { businessId: B1, actor, individual: true }),
  recordClient: (mc, actor) => call(mc, 'recordClient', { businessId: B1, actor, clientId: 'c2', uid: 'u2', name: 'Bea', cellPhone: '+14155550100' }),
  usage: (mc, actor) => call(mc, 'usage', { businessId: B1, viewer: actor }),
  sendMessage: (mc, actor) => call(mc, 'sendMessage', { businessId: B1, clientId: 'c1', actor, body: 'Hello' }),
  archive: (mc, actor) => call(mc, 'archive', { businessId: B1, conversationId: 'c1', actor }),
  unarchive: (mc, actor) => call(mc, 'unarchive', { businessId: B1, conversationId: 'c1', actor }),
  mute: (mc, actor) => call(mc, 'mute', { businessId: B1, conversationId: 'c1', actor }),
  unmute: (mc, actor) => call(mc, 'unmute', { businessId: B1, conversationId: 'c1', actor }),
  pin: (mc, actor) => call(mc, 'pin', { businessId: B1, conversationId: 'c1', actor }),
  unpin: (mc, actor) => call(mc, 'unpin', { businessId: B1, conversationId: 'c1', actor }),
  markRead: (mc, actor) => call(mc, 'markRead', { businessId: B1, conversationId: 'c1', actor }),
  markUnread: (mc, actor) => call(mc, 'markUnread', { businessId: B1, conversationId: 'c1', actor }),
  conversation: (mc, actor) => call(mc, 'conversation', { businessId: B1, conversationId: 'c1', viewer: actor }),
  inbox: (mc, actor) => call(mc, 'inbox', { businessId: B1, viewer: actor, search: 'an' }),
  unreadBadge: (mc, actor) => call(mc, 'unreadBadge', { businessId: B1, viewer: actor }),
  alerts: (mc, actor) => call(mc, 'alerts', { businessId: B1, viewer: actor }),
  contactHistory: (mc, actor) => call(mc, 'contactHistory', { businessId: B1, viewer: actor, clientId: 'c1' }),
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

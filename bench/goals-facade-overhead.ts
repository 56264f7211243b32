/**
 * Issue 14, goal 4: what the facade adds over the bare command handler. The bare side writes the same events
 * to the same streams (`executeCommand` on the same aggregates, caches included) from commands whose facts
 * are already known; the facade also decodes its input, authorizes, routes and loads the facts of other
 * streams. Both on in-memory stores of their own, in alternating rounds; the ratio is the median of the
 * rounds' ratios. Sends are measured without a transport (the outbox hands them over later).
 */
import { randomUUID } from 'node:crypto';
import * as TE from 'fp-ts/lib/TaskEither.js';
import {
  BusinessId,
  ClientId,
  E164,
  MessageId,
  NonNegativeInt,
  ProviderMessageId,
  StaffId,
  createInMemoryEventStore,
  createInMemoryNumberProvisioning,
  createMessageCenter,
  timestampFromMillis,
} from '@message-center/core';
import {
  billingPeriodOf,
  conversationAddress,
  createAggregates,
  executeCommand,
  inboundClaimAddress,
  usageLedgerAddress,
  type Aggregate,
  type DomainEvent,
  type StreamAddress,
} from '@message-center/core/internals';
import type { GoalResult } from './goals.js';
import { must } from './outcome.js';
import { SMALL, median } from './goals.js';


const branded = <A>(is: (u: unknown) => u is A, value: string | number): A => {
  if (!is(value)) throw new RangeError(`rejected by its codec: ${value}`);
  return value;
};

const BUSINESS = branded(BusinessId.is, 'bench-business');
const NUMBER = branded(E164.is, '+14155550100');
const CLIENTS = 20;
const phoneOf = (n: number): E164 => branded(E164.is, `+1415556${String(n).padStart(4, '0')}`);
const clientOf = (n: number): ClientId => branded(ClientId.is, `client-${n}`);
const host = { kind: 'host', businessId: BUSINESS } as const;
const staff = { kind: 'staff', businessId: BUSINESS, staffId: branded(StaffId.is, 'dana'), permissions: ['send-email-sms'] } as const;
const BODY_IN = 'Can I move my appointment to Thursday?';
const BODY_OUT = 'Thursday at 3 works, see you then.';

type Kind = 'receiveInbound' | 'sendMessage';

const facadeSide = async (): Promise<(kind: Kind, n: number, k: number) => Promise<unknown>> => {
  const mc = createMessageCenter({ store: createInMemoryEventStore(), numbers: createInMemoryNumberProvisioning({ account: [NUMBER] }) });
  await must(mc.enableMessageCenter({ businessId: BUSINESS, actor: host, country: 'US', number: NUMBER, allotment: { messagesPerPeriod: 10_000_000, overage: 'allow' } }));
  for (let n = 0; n < CLIENTS; n += 1)
    await must(mc.recordClient({ businessId: BUSINESS, actor: host, clientId: clientOf(n), uid: `U-${n}`, name: `Client ${n}`, cellPhone: phoneOf(n) }));
  return (kind, n, k) =>
    kind === 'receiveInbound'
      ? must(mc.receiveInbound({ to: NUMBER, from: phoneOf(n), body: BODY_IN, providerMessageId: `SM${k}` }))
      : must(mc.sendMessage({ businessId: BUSINESS, clientId: clientOf(n), actor: staff, body: BODY_OUT }));
};

const bareSide = (): ((kind: Kind, n: number, k: number) => Promise<unknown>) => {
  const deps = { store: createInMemoryEventStore(), ids: { uuid: randomUUID } };
  const aggregates = createAggregates([], 10_000);
  const run = <C, S, Ev extends DomainEvent>(aggregate: Aggregate<C, S, Ev>, address: StreamAddress, command: C): Promise<unknown> =>
    must(executeCommand(deps, aggregate, address, () => TE.right(command), { maxAttempts: 3 }));
  const allotment = { messagesPerPeriod: branded(NonNegativeInt.is, 10_000_000), overage: 'allow' as const };
  let used = 0;
  return async (kind, n, k) => {
    const at = timestampFromMillis(Date.now());
    const conversationId = clientOf(n);
    const messageId = branded(MessageId.is, randomUUID());
    const period = billingPeriodOf(at);
    if (kind === 'receiveInbound') {
      const providerMessageId = branded(ProviderMessageId.is, `SM${k}`);
      await run(aggregates.inboundClaim, inboundClaimAddress(BUSINESS, providerMessageId), { type: 'ClaimInbound', businessId: BUSINESS, providerMessageId, conversationId, messageId, at });
      await run(aggregates.conversation, conversationAddress(BUSINESS, conversationId), {
        type: 'ReceiveInbound', businessId: BUSINESS, conversationId, clientId: conversationId, messageId, providerMessageId, from: phoneOf(n), to: NUMBER, body: BODY_IN, media: [], optOutType: null, at,
      });
      return run(aggregates.usageLedger, usageLedgerAddress(BUSINESS, period), { type: 'CountInbound', businessId: BUSINESS, period, messageId, at });
    }
    await run(aggregates.usageLedger, usageLedgerAddress(BUSINESS, period), { type: 'ReserveOutbound', businessId: BUSINESS, conversationId, period, messageId, at, allotment });
    used += 1;
    return run(aggregates.conversation, conversationAddress(BUSINESS, conversationId), {
      type: 'SendMessage', businessId: BUSINESS, conversationId, actor: staff, messageId, body: BODY_OUT, claim: null, at,
      context: { business: { number: NUMBER, allotment, usedInPeriod: used }, recipient: { clientId: conversationId, phone: phoneOf(n), problem: null, phoneOptedOut: null } },
    });
  };
};

export const facadeOverheadGoal = async (kind: Kind): Promise<GoalResult> => {
  const perRound = 50;
  const rounds = SMALL ? 20 : 40;
  const facade = await facadeSide();
  const bare = bareSide();
  let k = 0;
  const round = async (side: (kind: Kind, n: number, k: number) => Promise<unknown>): Promise<number> => {
    const start = performance.now();
    for (let i = 0; i < perRound; i += 1) await side(kind, i % CLIENTS, (k += 1));
    return (performance.now() - start) / perRound;
  };
  for (let w = 0; w < 5; w += 1) {
    await round(facade);
    await round(bare);
  }
  const viaFacade: number[] = [];
  const direct: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    viaFacade.push(await round(facade));
    direct.push(await round(bare));
  }
  const ratio = median(viaFacade.map((f, i) => f / (direct[i] ?? Number.NaN)));
  return {
    goal: `4. facade ${kind} ≤ 1.3× the bare command handler writing the same events`,
    measured: `${(median(viaFacade) * 1000).toFixed(0)} µs vs ${(median(direct) * 1000).toFixed(0)} µs per command (${rounds} rounds of ${perRound})`,
    ratio,
    target: '≤ 1.3',
    held: ratio <= 1.3,
  };
};

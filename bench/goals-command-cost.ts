/**
 * Issue 14, goal 1: a command on a conversation with 10,000 earlier messages costs at most 1.2× the same
 * command on a new conversation, through the facade on the in-memory store (sends handed over to the
 * in-memory transport). Both kinds run in alternating rounds of the same run; the ratio is the median of
 * the rounds' ratios.
 */
import {
  createInMemoryEventStore,
  createInMemoryNumberProvisioning,
  createInMemorySmsTransport,
  createMessageCenter,
  type MessageCenter,
} from '@message-center/core';
import { fmt } from './report.js';
import { must } from './outcome.js';
import type { GoalResult } from './goals.js';
import { SMALL, median } from './goals.js';


const BUSINESS = 'bench-business';
const NUMBER = '+14155550100';
const host = { kind: 'host', businessId: BUSINESS } as const;
const staff = { kind: 'staff', businessId: BUSINESS, staffId: 'dana', permissions: ['send-email-sms'] } as const;

const phoneOf = (n: number): string => `+1415556${String(n).padStart(4, '0')}`;

type Kind = 'receiveInbound' | 'sendMessage';

/** One command of `kind` on client `n`'s conversation; `k` makes its ids unique. */
const command = (mc: MessageCenter, kind: Kind, n: number, k: number): Promise<unknown> =>
  kind === 'receiveInbound'
    ? must(mc.receiveInbound({ to: NUMBER, from: phoneOf(n), body: 'Can I move my appointment to Thursday?', providerMessageId: `SM${n}x${k}` }))
    : must(mc.sendMessage({ businessId: BUSINESS, clientId: `client-${n}`, actor: staff, body: 'Thursday at 3 works, see you then.' }));

export const commandCostGoal = async (kind: Kind): Promise<GoalResult> => {
  const earlier = SMALL ? 1_000 : 10_000;
  // Many short alternating rounds and their medians: a GC pause of the growing log falls on either kind
  // alike and on few rounds, instead of deciding the ratio.
  const perRound = 50;
  const rounds = SMALL ? 30 : 40;
  const mc = createMessageCenter({
    store: createInMemoryEventStore(),
    transport: createInMemorySmsTransport(),
    numbers: createInMemoryNumberProvisioning({ account: [NUMBER] }),
  });
  await must(mc.enableMessageCenter({ businessId: BUSINESS, actor: host, country: 'US', number: NUMBER, allotment: { messagesPerPeriod: 10_000_000, overage: 'allow' } }));
  const clients = rounds + 2;
  for (let n = 0; n < clients; n += 1)
    await must(mc.recordClient({ businessId: BUSINESS, actor: host, clientId: `client-${n}`, uid: `U-${n}`, name: `Client ${n}`, cellPhone: phoneOf(n) }));
  // Client 0's conversation gets the earlier messages, half in and half out, through the same facade.
  let k = 0;
  for (let i = 0; i < earlier; i += 1) await command(mc, i % 2 === 0 ? 'receiveInbound' : 'sendMessage', 0, (k += 1));

  const round = async (n: number): Promise<number> => {
    const start = performance.now();
    for (let i = 0; i < perRound; i += 1) await command(mc, kind, n, (k += 1));
    return (performance.now() - start) / perRound;
  };
  // Warm-up rounds of both kinds (on a conversation of its own for the new kind): JIT-compiled code is compared, not the compiler.
  for (let w = 0; w < 5; w += 1) {
    await round(0);
    await round(1);
  }
  const long: number[] = [];
  const fresh: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    long.push(await round(0));
    // A conversation that has not seen a message before this round.
    fresh.push(await round(r + 2));
  }
  // Each round's two kinds ran one after the other: the median of their ratios cancels the machine's drift.
  const ratio = median(long.map((l, i) => l / (fresh[i] ?? Number.NaN)));
  return {
    goal: `1. ${kind} on a conversation with ${fmt(earlier)} earlier messages ≤ 1.2× on a new one`,
    measured: `${(median(long) * 1000).toFixed(0)} µs vs ${(median(fresh) * 1000).toFixed(0)} µs per command (${rounds} rounds of ${perRound})`,
    ratio,
    target: '≤ 1.2',
    held: ratio <= 1.2,
  };
};

/**
 * An SmsTransport that behaves like a provider on a bad day: it accepts, fails retryably, refuses for
 * good (21610 opt-out, 21211 invalid number), throws, hangs (never answers) or is slow. Every hand-over
 * is recorded in the journal with what the provider did (and the `SM…` id it gave), so a test counts
 * how many times each message id reached the provider. Like Twilio it keeps its own opt-out list: a
 * phone that texted STOP to a sender gets 21610 from that sender until it texts START.
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { ProviderMessageId, type OutgoingSms, type SmsAccepted, type SmsTransport, type TransportError } from '@message-center/core';
import { createFaultJournal, type FaultJournal, type TransportCall } from './journal.js';
import { seededRandom } from './random.js';
import { timerScheduler, type FaultScheduler } from './scheduler.js';
import { invalidToNumber, rateLimited, recipientUnsubscribed, serviceUnavailable } from './twilio-failures.js';

export const TRANSPORT_BEHAVIOURS = ['ok', 'slow', 'retryable', 'unsubscribed', 'invalid-number', 'throw', 'reject', 'hang'] as const;
/**
 * - `ok`, `slow`: the provider accepts and answers (after the latency, or after `slowMs`);
 * - `retryable` (20429 / 503), `unsubscribed` (21610), `invalid-number` (21211): refused, nothing sent;
 * - `throw`: `send` throws; `reject`: its task rejects; both before reaching the provider (nothing sent);
 * - `hang`: the provider accepts (the SMS goes out) and the answer never comes.
 */
export type TransportBehaviour = (typeof TRANSPORT_BEHAVIOURS)[number];

export interface TransportFaultPlan {
  readonly seed: number;
  readonly minLatencyMs: number;
  readonly maxLatencyMs: number;
  readonly slowMs: number;
  /** Relative weights; all zero means `ok`. */
  readonly weights: Readonly<Record<TransportBehaviour, number>>;
}

const noWeights: Readonly<Record<TransportBehaviour, number>> = {
  ok: 1, slow: 0, retryable: 0, unsubscribed: 0, 'invalid-number': 0, throw: 0, reject: 0, hang: 0,
};

export const healthyTransportPlan: TransportFaultPlan = { seed: 0, minLatencyMs: 0, maxLatencyMs: 0, slowMs: 0, weights: noWeights };

/** A plan with one behaviour for every call (e.g. `always('hang')`), and the given latency. */
export const always = (behaviour: TransportBehaviour, latencyMs = 0): TransportFaultPlan => ({
  seed: 0,
  minLatencyMs: latencyMs,
  maxLatencyMs: latencyMs,
  slowMs: latencyMs,
  weights: { ...noWeights, ok: 0, [behaviour]: 1 },
});

export interface FaultyTransportOptions {
  readonly plan?: TransportFaultPlan;
  readonly scheduler?: FaultScheduler;
  readonly journal?: FaultJournal;
  /** Chooses the behaviour of one call (undefined: the plan draws it); `index` counts calls from 0. */
  readonly decide?: (sms: OutgoingSms, index: number) => TransportBehaviour | undefined;
}

/** One caller of the transport (a facade instance); crashing it is the process dying. */
export interface TransportSession {
  readonly label: string;
  readonly transport: SmsTransport;
  /** Later calls never reach the provider; answers to calls in flight never arrive. */
  readonly crash: () => void;
  readonly crashed: () => boolean;
}

/** Twilio's own opt-out list, per sender and recipient. */
export interface ProviderOptOuts {
  readonly optOut: (from: string, to: string) => void;
  readonly optIn: (from: string, to: string) => void;
  readonly isBlocked: (from: string, to: string) => boolean;
}

export interface FaultyTransport {
  /** The default session, `main`. */
  readonly transport: SmsTransport;
  readonly session: (label: string) => TransportSession;
  readonly provider: ProviderOptOuts;
  readonly journal: FaultJournal;
  /** Replaces the plan (and drops `decide`) for later calls, e.g. `healthyTransportPlan` to let a test recover. */
  readonly setPlan: (next: TransportFaultPlan) => void;
  /** Every hand-over so far, in order. */
  readonly calls: () => ReadonlyArray<TransportCall>;
  readonly callsFor: (messageId: string) => ReadonlyArray<TransportCall>;
}

const never = <A>(): Promise<A> => new Promise<A>(() => undefined);

/** `SM` + 32 hex digits, as Twilio's message sids; `7e57` marks the ones this fake gave. */
const providerIdOf = (n: number): ProviderMessageId => {
  const id = `SM7e57${n.toString(16).padStart(28, '0')}`;
  if (!ProviderMessageId.is(id)) throw new RangeError(`not a provider message id: ${id}`);
  return id;
};

const refusalOf = (behaviour: TransportBehaviour, random: () => number): TransportError | null =>
  behaviour === 'retryable'
    ? random() < 0.5 ? rateLimited : serviceUnavailable
    : behaviour === 'unsubscribed'
      ? recipientUnsubscribed
      : behaviour === 'invalid-number'
        ? invalidToNumber
        : null;

export const createFaultyTransport = (options: FaultyTransportOptions = {}): FaultyTransport => {
  let plan = options.plan ?? healthyTransportPlan;
  const scheduler = options.scheduler ?? timerScheduler;
  const journal = options.journal ?? createFaultJournal();
  const random = seededRandom(plan.seed);
  let decide = options.decide;
  const blocked = new Set<string>();
  const pair = (from: string, to: string): string => `${from}>${to}`;
  let index = 0;
  let issued = 0;

  const draw = (): TransportBehaviour => {
    const total = TRANSPORT_BEHAVIOURS.reduce((sum, b) => sum + plan.weights[b], 0);
    if (total <= 0) return 'ok';
    let pick = random.next() * total;
    for (const b of TRANSPORT_BEHAVIOURS) {
      pick -= plan.weights[b];
      if (pick < 0) return b;
    }
    return 'ok';
  };
  const choose = (sms: OutgoingSms): TransportBehaviour => {
    const i = index++;
    // Twilio refuses a recipient on its opt-out list whatever else happens.
    if (blocked.has(pair(sms.from, sms.to))) return 'unsubscribed';
    return decide?.(sms, i) ?? draw();
  };
  const record = (session: string, sms: OutgoingSms, behaviour: TransportBehaviour, outcome: TransportCall['outcome']): TransportCall =>
    journal.add({ kind: 'send', seq: journal.tick(), session, sms: { ...sms }, behaviour, outcome, answeredAt: null, handedOverAtMs: Date.now() });
  const answer = (call: TransportCall, outcome: TransportCall['outcome']): void => {
    call.outcome = outcome;
    call.answeredAt = journal.tick();
  };

  const makeSession = (label: string): TransportSession => {
    let crashed = false;
    const send = (sms: OutgoingSms): TE.TaskEither<TransportError, SmsAccepted> => {
      if (crashed) return never;
      const behaviour = choose(sms);
      if (behaviour === 'throw') {
        answer(record(label, sms, behaviour, { kind: 'threw' }), { kind: 'threw' });
        throw new Error('injected fault: the SMS transport threw');
      }
      return async () => {
        if (crashed) return never();
        if (behaviour === 'reject') {
          answer(record(label, sms, behaviour, { kind: 'threw' }), { kind: 'threw' });
          throw new Error('injected fault: the SMS transport rejected');
        }
        const wait = (): Promise<void> => {
          const ms = behaviour === 'slow' ? plan.slowMs : random.between(plan.minLatencyMs, plan.maxLatencyMs);
          return ms > 0 ? scheduler.sleep(ms) : Promise.resolve();
        };
        const refusal = refusalOf(behaviour, random.next);
        if (refusal !== null) {
          const refused = record(label, sms, behaviour, { kind: 'refused', error: refusal });
          await wait();
          if (crashed) return never();
          answer(refused, refused.outcome);
          return E.left(refusal);
        }
        // From here the provider has the message: it goes out whether or not the answer comes back.
        const providerMessageId = providerIdOf(issued++);
        const call = record(label, sms, behaviour, { kind: 'no-answer', providerMessageId });
        await wait();
        if (behaviour === 'hang' || crashed) return never();
        answer(call, { kind: 'accepted', providerMessageId });
        return E.right({ providerMessageId, status: 'queued' });
      };
    };
    return {
      label,
      transport: { send },
      crash: () => {
        crashed = true;
        journal.note(`crash:${label}`);
      },
      crashed: () => crashed,
    };
  };

  const main = makeSession('main');
  return {
    transport: main.transport,
    session: makeSession,
    provider: {
      optOut: (from, to) => void blocked.add(pair(from, to)),
      optIn: (from, to) => void blocked.delete(pair(from, to)),
      isBlocked: (from, to) => blocked.has(pair(from, to)),
    },
    journal,
    setPlan: (next) => {
      plan = next;
      decide = undefined;
    },
    calls: () => journal.sends(),
    callsFor: (messageId) => journal.sends().filter((c) => c.sms.messageId === messageId),
  };
};

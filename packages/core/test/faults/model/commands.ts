/**
 * The commands of the model run. Each picks its client, phone or delivery by an index taken modulo what
 * exists when it runs, so a shrunk sequence stays meaningful; each runs the facade in virtual time,
 * updates the model from the answers, then checks every invariant.
 */
import * as E from 'fp-ts/lib/Either.js';
import type fc from 'fast-check';
import type { ClientId, E164, MessageId } from '@message-center/core';
import { inboundSid } from '@message-center/testing';
import { BUSINESS, HOST, PHONES, STAFF, at, clientId, messageId } from '../support/fixtures.js';
import { settle } from '../support/virtual-time.js';
import { applyInbound, nextId, stepStart, type Delivery, type InboundKind, type Model } from './reference-model.js';
import { checkStep } from './invariants.js';
import { call, callAll, hostCall, InvariantViolation, type Real } from './system.js';

type Command = fc.AsyncCommand<Model, Real>;

const OPT_OUT_WORDS = ['STOP', 'stop', ' Stop ', 'UNSUBSCRIBE', 'cancel', 'END', 'quit', 'STOPALL'] as const;
const OPT_IN_WORDS = ['START', 'start', 'YES', 'UNSTOP'] as const;
const OUTBOUND_BODIES = ['Your appointment is confirmed for Friday 10:00.', 'Reminder: please arrive 10 minutes early.', 'Your invoice is ready.'] as const;
const MAX_CLIENTS = 6;

const pick = <A>(list: ReadonlyArray<A>, index: number): A => at(list, index % list.length);
const clientIds = (m: Readonly<Model>): ReadonlyArray<ClientId> => [...m.clients.keys()];
/** Clients' phones first (small indexes, which shrinking prefers), then the rest of the pool. */
const phonePool = (m: Readonly<Model>): ReadonlyArray<E164> => [...new Set([...m.clients.values(), ...PHONES])];

/** A word no other message contains, of letters only (digits would also search phone numbers, R2). */
const tokenOf = (n: number): string => `kw${[3, 2, 1, 0].map((p) => String.fromCharCode(97 + (Math.floor(n / 26 ** p) % 26))).join('')}`;

const journalSeq = (real: Real): number => real.world.journal.tick();

// ---------------------------------------------------------------------------------------------- sends

const sendTask = (m: Model, real: Real, id: MessageId, client: ClientId, body: string) => {
  m.messages.set(id, { messageId: id, clientId: client, body });
  return () => real.current.mc.sendMessage({ businessId: BUSINESS, clientId: client, actor: STAFF, messageId: id, body })();
};

/** V3 on the answer: a fresh send to a phone the model knows opted out must be refused. Failed sends may be retried. */
const judgeSend = (m: Model, id: MessageId, answer: E.Either<unknown, unknown>, fresh: boolean, optedOut: ReadonlySet<E164>): void => {
  const client = m.messages.get(id)?.clientId;
  const phone = client === undefined ? undefined : m.clients.get(client);
  if (fresh && E.isRight(answer) && phone !== undefined && optedOut.has(phone))
    throw new InvariantViolation(`sendMessage accepted ${id} for ${client ?? '?'} although ${phone} had opted out (V3: refused with client-unsubscribed)`);
  const failedAt = m.failedSends.indexOf(id);
  if (E.isLeft(answer)) {
    if (failedAt < 0) m.failedSends.push(id);
  } else if (failedAt >= 0) m.failedSends.splice(failedAt, 1);
};

/** V1: staff text a client (a fresh message id), or retry a failed send with its own id. */
export class Send implements Command {
  constructor(
    readonly client: number,
    readonly body: number,
    readonly retry: number | null,
  ) {}
  check = (m: Readonly<Model>): boolean => m.clients.size > 0;
  async run(m: Model, real: Real): Promise<void> {
    const start = stepStart(m, journalSeq(real));
    const retried = this.retry === null || m.failedSends.length === 0 ? undefined : m.messages.get(pick(m.failedSends, this.retry));
    const send = retried ?? { messageId: messageId(`msg-${nextId(m)}`), clientId: pick(clientIds(m), this.client), body: pick(OUTBOUND_BODIES, this.body) };
    const answer = await call(real, `sendMessage ${send.messageId}`, sendTask(m, real, send.messageId, send.clientId, send.body));
    judgeSend(m, send.messageId, answer, retried === undefined, start.optedOut);
    await checkStep(m, real, start);
  }
  toString = (): string => (this.retry === null ? `send(client ${this.client})` : `retryFailedSend(${this.retry}, else send(client ${this.client}))`);
}

/** Several staff members sending at once (B4 under concurrency). */
export class SendBurst implements Command {
  constructor(readonly clients: ReadonlyArray<number>) {}
  check = (m: Readonly<Model>): boolean => m.clients.size > 0;
  async run(m: Model, real: Real): Promise<void> {
    const start = stepStart(m, journalSeq(real));
    const sends = this.clients.map((c) => ({ id: messageId(`msg-${nextId(m)}`), client: pick(clientIds(m), c), body: pick(OUTBOUND_BODIES, c) }));
    const answers = await callAll(real, 'concurrent sends', sends.map((s) => sendTask(m, real, s.id, s.client, s.body)));
    answers.forEach((answer, i) => {
      const send = sends[i];
      if (send !== undefined) judgeSend(m, send.id, answer, true, start.optedOut);
    });
    await checkStep(m, real, start);
  }
  toString = (): string => `sendBurst(${this.clients.join(', ')})`;
}

// -------------------------------------------------------------------------------------------- inbound

export interface InboundSpec {
  readonly phone: number;
  readonly kind: InboundKind;
  readonly word: number;
  readonly optOutType: boolean;
  /** Deliver an earlier webhook again (Twilio's at-least-once delivery), by index. */
  readonly redeliver: number | null;
  /** Address it to a number the business gave up (B2: refused). */
  readonly toRetired: boolean;
}

/** V2/V3: an SMS from a phone (a client's, an old one, a stranger's), a STOP or START, or a redelivery. */
export class Inbound implements Command {
  constructor(readonly spec: InboundSpec) {}
  check = (): boolean => true;
  private delivery(m: Model, retired: ReadonlyArray<E164>): Delivery {
    const { spec } = this;
    if (spec.redeliver !== null && m.deliveries.length > 0) return pick(m.deliveries, spec.redeliver);
    const n = nextId(m);
    const to = spec.toRetired && retired.length > 0 ? pick(retired, n) : m.number;
    const from = pick(phonePool(m), spec.phone);
    const token = spec.kind === 'text' ? tokenOf(n) : null;
    const body = spec.kind === 'stop' ? pick(OPT_OUT_WORDS, spec.word) : spec.kind === 'start' ? pick(OPT_IN_WORDS, spec.word) : `Running 10 minutes late ${token ?? ''}`;
    const optOutType = !spec.optOutType || spec.kind === 'text' ? null : spec.kind === 'stop' ? 'STOP' : 'START';
    const d: Delivery = { sid: inboundSid(n), to, from, body, kind: spec.kind, optOutType, token };
    m.deliveries.push(d);
    return d;
  }
  async run(m: Model, real: Real): Promise<void> {
    const start = stepStart(m, journalSeq(real));
    const d = this.delivery(m, m.retired);
    // Twilio keeps its own opt-out list per sender: it has seen the keyword whatever our webhook answers.
    if (d.kind === 'stop') real.world.transport.provider.optOut(d.to, d.from);
    if (d.kind === 'start') real.world.transport.provider.optIn(d.to, d.from);
    const answer = await call(real, `receiveInbound ${d.sid}`, () =>
      real.current.mc.receiveInbound({ to: d.to, from: d.from, body: d.body, providerMessageId: d.sid, ...(d.optOutType === null ? {} : { optOutType: d.optOutType }) })(),
    );
    if (E.isRight(answer)) {
      if (!m.acknowledged.has(d.sid)) m.acknowledged.set(d.sid, answer.right.conversationId);
      applyInbound(m, d, answer.right.duplicate ? 'duplicate' : 'recorded');
    } else applyInbound(m, d, answer.left.code === 'number-retired' || answer.left.code === 'unknown-number' ? 'refused' : 'failed');
    await checkStep(m, real, start, [d]);
  }
  toString = (): string => {
    const s = this.spec;
    return s.redeliver !== null
      ? `redeliver(${s.redeliver})`
      : `inbound(phone ${s.phone}, ${s.kind}${s.optOutType ? '+OptOutType' : ''}${s.toRetired ? ', to a retired number if any' : ''})`;
  };
}

// ------------------------------------------------------------------------------------------ host set-up

/** C1: the host records a client's new cell phone. */
export class ChangePhone implements Command {
  constructor(
    readonly client: number,
    readonly phone: number,
  ) {}
  check = (m: Readonly<Model>): boolean => m.clients.size > 0;
  async run(m: Model, real: Real): Promise<void> {
    const start = stepStart(m, journalSeq(real));
    const id = pick(clientIds(m), this.client);
    const phone = pick(PHONES, this.phone);
    await hostCall(real, `recordClient ${id}`, (mc) => mc.recordClient({ businessId: BUSINESS, actor: HOST, clientId: id, uid: `U-${id}`, name: `Client ${id}`, cellPhone: phone }));
    m.clients.set(id, phone);
    await checkStep(m, real, start);
  }
  toString = (): string => `changePhone(client ${this.client}, phone ${this.phone})`;
}

/** C1/V3: the host records another client with a phone already known (a family member, a walk-in who texted before). */
export class RecordSharingClient implements Command {
  constructor(readonly phone: number) {}
  check = (m: Readonly<Model>): boolean => m.clients.size < MAX_CLIENTS;
  async run(m: Model, real: Real): Promise<void> {
    const start = stepStart(m, journalSeq(real));
    const id = clientId(`member-${nextId(m)}`);
    const known = [...new Set([...m.clients.values(), ...m.deliveries.map((d) => d.from)])];
    const phone = pick(known.length > 0 ? known : PHONES, this.phone);
    await hostCall(real, `recordClient ${id}`, (mc) => mc.recordClient({ businessId: BUSINESS, actor: HOST, clientId: id, uid: `U-${id}`, name: `Client ${id}`, cellPhone: phone }));
    m.clients.set(id, phone);
    await checkStep(m, real, start);
  }
  toString = (): string => `recordSharingClient(phone ${this.phone})`;
}

/** B2: the business moves to its next number. */
export class ChangeNumber implements Command {
  check = (m: Readonly<Model>): boolean => m.numbersLeft.length > 0;
  async run(m: Model, real: Real): Promise<void> {
    const start = stepStart(m, journalSeq(real));
    const next = m.numbersLeft.shift();
    if (next === undefined) return;
    await hostCall(real, 'changeNumber', (mc) => mc.changeNumber({ businessId: BUSINESS, actor: HOST, number: next }));
    m.retired.push(m.number);
    m.number = next;
    await checkStep(m, real, start);
  }
  toString = (): string => 'changeNumber';
}

// ------------------------------------------------------------------------------------- outbox and staff

/** The host's scheduler: one or more `dispatchPending` at once, in this process or in as many processes. */
export class Dispatch implements Command {
  constructor(
    readonly dispatchers: number,
    readonly processes: boolean,
  ) {}
  check = (): boolean => true;
  async run(m: Model, real: Real): Promise<void> {
    const start = stepStart(m, journalSeq(real));
    const facades = Array.from({ length: this.dispatchers }, (_, i) =>
      this.processes && i > 0 ? real.world.facade(`gen-${real.generation}-sweeper-${i}`).mc : real.current.mc,
    );
    await callAll(real, 'dispatchPending', facades.map((mc) => () => mc.dispatchPending()()));
    await checkStep(m, real, start);
  }
  toString = (): string => `dispatch(${this.dispatchers}${this.processes ? ' processes' : ''})`;
}

/** V6: staff open a client's conversation. */
export class Read implements Command {
  constructor(readonly client: number) {}
  check = (m: Readonly<Model>): boolean => m.clients.size > 0;
  async run(m: Model, real: Real): Promise<void> {
    const start = stepStart(m, journalSeq(real));
    const id = pick(clientIds(m), this.client);
    await call(real, 'markRead', () => real.current.mc.markRead({ businessId: BUSINESS, conversationId: id, actor: STAFF })());
    await checkStep(m, real, start);
  }
  toString = (): string => `read(client ${this.client})`;
}

/**
 * The process dies and another starts on the same store, with or without a transport (without one, sends
 * stay in the outbox). Optionally while a sweep is running (`midDispatchMs` of virtual time after it
 * started): the crash between a claim and its record.
 */
export class Restart implements Command {
  constructor(
    readonly midDispatchMs: number | null,
    readonly withTransport: boolean,
  ) {}
  check = (): boolean => true;
  async run(m: Model, real: Real): Promise<void> {
    const start = stepStart(m, journalSeq(real));
    if (this.midDispatchMs !== null) {
      const dying = real.current.mc.dispatchPending()();
      const ms = this.midDispatchMs;
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, ms));
      await settle(Promise.race([dying, deadline]), { progress: real.world.progress });
    }
    real.current.crash();
    real.generation += 1;
    real.current = real.world.facade(`gen-${real.generation}`, { transport: this.withTransport });
    await checkStep(m, real, start);
  }
  toString = (): string =>
    `${this.midDispatchMs === null ? 'restart' : `crashDuringDispatch(${this.midDispatchMs} ms)`}${this.withTransport ? '' : ' without transport'}`;
}

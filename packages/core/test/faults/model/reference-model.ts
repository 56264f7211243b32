/**
 * The reference model of the facade under faults: what a host knows for certain from the answers it
 * got. It holds no events and no folds: the business number, each client's phone, which phones are opted
 * out (per phone, V3), what was delivered and acknowledged. A fact the faults left in doubt (a STOP whose
 * webhook failed: recorded or not?) is `uncertain`, and no invariant is checked against it.
 */
import type { ClientId, ConversationId, E164, MessageId, ProviderMessageId } from '@message-center/core';

/** `uncertain`: an opt-out or opt-in was delivered and failed; the store may or may not have it. */
export type PhoneStatus = 'in' | 'out' | 'uncertain';

export type InboundKind = 'text' | 'stop' | 'start';

export interface Delivery {
  readonly sid: ProviderMessageId;
  readonly to: E164;
  readonly from: E164;
  readonly body: string;
  readonly kind: InboundKind;
  readonly optOutType: 'STOP' | 'START' | null;
  /** A word of a text body found by no other message (inbox search, R2); null for keywords. */
  readonly token: string | null;
}

export interface SentMessage {
  readonly messageId: MessageId;
  readonly clientId: ClientId;
  readonly body: string;
}

export interface Model {
  readonly allotment: number;
  /** The business number now; `numbersLeft` are the ones `changeNumber` may still move to. */
  number: E164;
  numbersLeft: Array<E164>;
  /** Numbers the business gave up (B2: SMS to them are refused). */
  readonly retired: Array<E164>;
  readonly clients: Map<ClientId, E164>;
  readonly phones: Map<E164, PhoneStatus>;
  /** Every webhook delivered so far (Twilio may deliver any of them again). */
  readonly deliveries: Array<Delivery>;
  /** Provider ids the facade acknowledged (Right), with where it said it recorded them. */
  readonly acknowledged: Map<ProviderMessageId, ConversationId>;
  /** Every message the host asked to send, by the id it chose. */
  readonly messages: Map<MessageId, SentMessage>;
  /** Sends answered with a Left: the host may retry them with the same message id. */
  readonly failedSends: Array<MessageId>;
  counter: number;
}

export const phoneStatus = (m: Readonly<Model>, phone: E164): PhoneStatus => m.phones.get(phone) ?? 'in';

/** What the model knows at the start of a step, against which the step's hand-overs are judged. */
export interface StepStart {
  readonly number: E164;
  readonly clients: ReadonlyMap<ClientId, E164>;
  readonly optedOut: ReadonlySet<E164>;
  /** Journal sequence number at the start of the step. */
  readonly seq: number;
}

export const stepStart = (m: Readonly<Model>, seq: number): StepStart => ({
  number: m.number,
  clients: new Map(m.clients),
  optedOut: new Set([...m.phones].flatMap(([phone, status]) => (status === 'out' ? [phone] : []))),
  seq,
});

/**
 * V3 on the model: an acknowledged STOP opts the phone out, an acknowledged START in; a failed one leaves
 * it in doubt unless it could not change anything (STOP when out, START when in).
 */
export const applyInbound = (m: Model, delivery: Delivery, answer: 'recorded' | 'duplicate' | 'failed' | 'refused'): void => {
  if (delivery.kind === 'text' || answer === 'refused' || answer === 'duplicate') return;
  const target: PhoneStatus = delivery.kind === 'stop' ? 'out' : 'in';
  if (answer === 'recorded') m.phones.set(delivery.from, target);
  else if (phoneStatus(m, delivery.from) !== target) m.phones.set(delivery.from, 'uncertain');
};

export const nextId = (m: Model): number => {
  m.counter += 1;
  return m.counter;
};

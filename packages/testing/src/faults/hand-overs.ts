/**
 * Reading the journal: how many times each message reached the provider, and for each repeat whether it
 * is a plain duplicate or falls in an at-least-once edge: the outcome of the earlier hand-over was never
 * recorded before the repeat because its caller crashed, never got an answer, or had its writes fail.
 * Whether an edge is acceptable is the test's call: the issue allows one, documented.
 */
import type { FaultJournal, TransportCall } from './journal.js';

/** Why a repeat may be excused: the store never learnt the provider id of the earlier hand-over. */
export type EdgeReason =
  /** The caller that handed it over crashed before the provider id was recorded. */
  | 'crash-before-record'
  /** The provider never answered (a hang, cut by a timeout), so there was no provider id to record. */
  | 'no-answer'
  /** The caller got the provider id and a store fault hit its writes before the repeat (the record failed). */
  | 'record-lost';

export interface RepeatedHandOver {
  readonly messageId: string;
  readonly previous: TransportCall;
  readonly repeat: TransportCall;
  /** null: a plain duplicate (the earlier provider id was recorded before the repeat, or nothing kept it from being). */
  readonly edge: EdgeReason | null;
}

/** A call the provider took (an SMS went out), answered or not. */
export const reachedProvider = (call: TransportCall): boolean => call.outcome.kind === 'accepted' || call.outcome.kind === 'no-answer';

const providerIdOf = (call: TransportCall): string | null =>
  call.outcome.kind === 'accepted' || call.outcome.kind === 'no-answer' ? call.outcome.providerMessageId : null;

/** The hand-overs that reached the provider, per message id, in order. */
export const deliveriesByMessage = (journal: FaultJournal): ReadonlyMap<string, ReadonlyArray<TransportCall>> => {
  const byMessage = new Map<string, TransportCall[]>();
  for (const call of journal.sends()) {
    if (!reachedProvider(call)) continue;
    const calls = byMessage.get(call.sms.messageId) ?? [];
    calls.push(call);
    byMessage.set(call.sms.messageId, calls);
  }
  return byMessage;
};

const recordedBefore = (journal: FaultJournal, providerMessageId: string, seq: number): boolean =>
  journal.appends().some((a) => a.seq < seq && a.dataJson.includes(providerMessageId));

const crashedBetween = (journal: FaultJournal, session: string, from: number, to: number): boolean =>
  journal.entries.some((e) => e.kind === 'note' && e.label === `crash:${session}` && e.seq > from && e.seq < to);

/** Any store fault of the session: recording an outcome reads the stream before it appends. */
const storeFaultBetween = (journal: FaultJournal, session: string, from: number, to: number): boolean =>
  journal.entries.some((e) => e.kind === 'store-fault' && e.session === session && e.seq > from && e.seq < to);

/**
 * A repeat is a plain duplicate (null) when the earlier provider id was in the store before it, or when
 * nothing stopped the earlier caller from recording it (it simply had not yet: two dispatchers racing).
 */
const edgeOf = (journal: FaultJournal, previous: TransportCall, repeat: TransportCall): EdgeReason | null => {
  const providerMessageId = providerIdOf(previous);
  if (providerMessageId !== null && recordedBefore(journal, providerMessageId, repeat.seq)) return null;
  if (crashedBetween(journal, previous.session, previous.seq, repeat.seq)) return 'crash-before-record';
  if (previous.outcome.kind === 'no-answer') return 'no-answer';
  return storeFaultBetween(journal, previous.session, previous.answeredAt ?? previous.seq, repeat.seq) ? 'record-lost' : null;
};

/** Every hand-over of a message after its first one that reached the provider. */
export const repeatedHandOvers = (journal: FaultJournal): ReadonlyArray<RepeatedHandOver> => {
  const repeats: RepeatedHandOver[] = [];
  for (const [messageId, calls] of deliveriesByMessage(journal)) {
    let previous: TransportCall | null = null;
    for (const repeat of calls) {
      if (previous !== null) repeats.push({ messageId, previous, repeat, edge: edgeOf(journal, previous, repeat) });
      previous = repeat;
    }
  }
  return repeats;
};

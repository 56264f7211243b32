/**
 * The shared, ordered record of what the faulty store and the faulty transport did: each append the
 * store really applied (and what its caller was told), and each message handed to the transport. One
 * sequence number orders both, so a test can ask "was this provider id recorded before that send?"
 * without knowing any event type.
 */
import type { OutgoingSms, ProviderMessageId, StoreError, TransportError } from '@message-center/core';

/** What the caller of an append was told, for an append the store applied. */
export type AppliedAppendAnswer = 'acknowledged' | 'unavailable-after-write' | 'never-answered';

export interface AppliedAppend {
  readonly kind: 'append';
  readonly seq: number;
  /** The facade instance (session) that asked. */
  readonly session: string;
  readonly streamId: string;
  readonly eventTypes: ReadonlyArray<string>;
  /** The events' data as JSON, to look up ids (provider ids, message ids) in what was recorded. */
  readonly dataJson: string;
  answer: AppliedAppendAnswer;
}

/** How a hand-over to the transport ended, as far as the provider and the caller are concerned. */
export type SendOutcome =
  /** The provider took it and the caller got the provider id. */
  | { readonly kind: 'accepted'; readonly providerMessageId: ProviderMessageId }
  /** The provider took it (it has a provider id) but no answer reached the caller: a hang, or a crash. */
  | { readonly kind: 'no-answer'; readonly providerMessageId: ProviderMessageId }
  /** Not sent; the caller got this error. */
  | { readonly kind: 'refused'; readonly error: TransportError }
  /** Not sent; the transport threw (or its task rejected) before reaching the provider. */
  | { readonly kind: 'threw' };

export interface TransportCall {
  readonly kind: 'send';
  readonly seq: number;
  readonly session: string;
  readonly sms: OutgoingSms;
  /** The behaviour the plan chose for this call. */
  readonly behaviour: string;
  outcome: SendOutcome;
  /** Sequence number when the caller got its answer (null: never). */
  answeredAt: number | null;
  /** `Date.now()` when it was handed over (virtual time in the fault tests): claims expire by the clock. */
  readonly handedOverAtMs: number;
}

/** An injected store fault, kept for reports and shrunk counterexamples. */
export interface InjectedStoreFault {
  readonly kind: 'store-fault';
  readonly seq: number;
  readonly session: string;
  readonly operation: 'append' | 'readStream' | 'readAll';
  readonly streamId: string | null;
  readonly fault: StoreError['code'] | 'unavailable-after-write';
}

/** A fact a test wants ordered with the rest (an acknowledged STOP, a restart). */
export interface JournalNote {
  readonly kind: 'note';
  readonly seq: number;
  readonly label: string;
}

export type JournalEntry = AppliedAppend | TransportCall | InjectedStoreFault | JournalNote;

export interface FaultJournal {
  readonly entries: ReadonlyArray<JournalEntry>;
  /** The next sequence number (for `since` and for ordering answers). */
  readonly tick: () => number;
  readonly add: <E extends JournalEntry>(entry: E) => E;
  readonly note: (label: string) => JournalNote;
  readonly sends: () => ReadonlyArray<TransportCall>;
  readonly appends: () => ReadonlyArray<AppliedAppend>;
  /** Everything recorded with a sequence number >= `seq`. */
  readonly since: (seq: number) => ReadonlyArray<JournalEntry>;
}

export const createFaultJournal = (): FaultJournal => {
  const entries: JournalEntry[] = [];
  let seq = 0;
  const journal: FaultJournal = {
    entries,
    tick: () => seq++,
    add: (entry) => {
      entries.push(entry);
      return entry;
    },
    note: (label) => journal.add({ kind: 'note', seq: journal.tick(), label }),
    sends: () => entries.filter((e): e is TransportCall => e.kind === 'send'),
    appends: () => entries.filter((e): e is AppliedAppend => e.kind === 'append'),
    since: (from) => entries.filter((e) => e.seq >= from),
  };
  return journal;
};

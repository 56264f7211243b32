/**
 * R2 (issue 13, the To: picker): every client of every business, with or without a conversation, and the
 * indexes that find one by name, phone, e-mail, UID or id in a few milliseconds among 100k. The query is
 * `findClients` (`client-finder-query.ts`).
 *
 * Besides the profiles (C1, C2) it keeps what "can this client be texted now" needs, as the send decision
 * reads it (V3, `phoneOptedOut`): the opt-out of each phone of the business (`mc-subscription-…`), and each
 * client's conversation (its id, the number it was about and its own opt-out record, the fallback for a
 * phone whose stream is silent).
 *
 * Tenancy: everything lives under its business (a map by business id, compared whole), and conversation
 * streams are looked up by their full stream name; no key is ever made by joining ids, so ids holding "-",
 * "%", ":" or `tel:` cannot reach another business's clients.
 *
 * Folding has the inbox's two phases: the events update the records, then the indexes move by the
 * difference between each touched record before and after the batch, so replay and increments agree.
 */
import { businessOfStream } from './stream-ids.js';
import type { ConversationId } from '../domain/conversation/events.js';
import type { EventEnvelope } from '../domain/log.js';
import type { BusinessId, ClientId } from '../domain/values/ids.js';
import type { E164 } from '../domain/values/phone-number.js';
import { applyPostings, applyPrefixChanges, emptyPrefixIndex, PrefixChanges, type PrefixIndex } from './client-finder-index.js';
import { PHashMap, PSortedMap, PVector, compareStrings, withEdit, type Edit } from './persistent.js';
import { PostingChanges, type Postings } from './postings.js';
import { MIN_PHONE_DIGITS, foldText, phoneDigits, wordsOf } from './search-text.js';
import type { Projection } from './projection.js';

// ------------------------------------------------------------------------------------------------ records

/** Where a client stands in the picker: by folded name, then id (ids are unique in a business). */
export interface NameKey {
  readonly name: string;
  readonly id: string;
}

export const compareNameKeys = (a: NameKey, b: NameKey): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** C1/C2: the client's current profile, as the picker shows it. */
export interface ClientRecord {
  readonly clientId: ClientId;
  readonly uid: string;
  readonly name: string;
  readonly email: string | null;
  /** C2: the valid cell phone, or null (then `phoneProblem` says why). */
  readonly cellPhone: E164 | null;
  readonly phoneProblem: string | null;
  readonly nameKey: NameKey;
}

/** The client's conversation (its id is the client id), with what V3 falls back on. */
export interface ClientConversation {
  readonly conversationId: ConversationId;
  /** The number the conversation started with. */
  readonly phone: E164;
  /** The conversation's own opt-out record (ClientUnsubscribed / ClientResubscribed). */
  readonly unsubscribed: boolean;
}

export interface BusinessClients {
  readonly businessId: BusinessId;
  /** Client id → dense ordinal, in order of first appearance. */
  readonly ordinals: PHashMap<number>;
  readonly clients: PVector<ClientRecord>;
  /** Every client by {@link compareNameKeys}: the order of the picker within a rank. */
  readonly byName: PSortedMap<NameKey, number>;
  /** The words of names (`search-text.ts`: folded, punctuation parts). */
  readonly names: PrefixIndex;
  /** Folded e-mail addresses, whole. */
  readonly emails: PrefixIndex;
  /** Cell phones as reversed E.164 digits: the last digits of a number are a prefix of its key. */
  readonly phones: PrefixIndex;
  /** Folded UIDs, whole. */
  readonly uids: PHashMap<Postings>;
  /** Client id → its conversation, once one started. */
  readonly conversations: PHashMap<ClientConversation>;
  /** V3: phone → unsubscribed, for the phones whose subscription stream has said anything. */
  readonly phoneOptOuts: PHashMap<boolean>;
  /** The business's current number (B1/B2): a client recorded with it is not texted (V1). */
  readonly number: E164 | null;
}

export interface ClientFinderState {
  readonly businesses: PSortedMap<BusinessId, BusinessClients>;
  /** Conversation stream → its client: the opt-out events after `ConversationStarted` carry no ids. */
  readonly streams: PHashMap<{ readonly businessId: BusinessId; readonly clientId: ClientId }>;
}

export const emptyClientFinder: ClientFinderState = { businesses: PSortedMap.empty<BusinessId, BusinessClients>(compareStrings), streams: PHashMap.empty() };

const emptyBusiness = (businessId: BusinessId): BusinessClients => ({
  businessId,
  ordinals: PHashMap.empty(),
  clients: PVector.empty(),
  byName: PSortedMap.empty(compareNameKeys),
  names: emptyPrefixIndex(1),
  emails: emptyPrefixIndex(1),
  phones: emptyPrefixIndex(MIN_PHONE_DIGITS),
  uids: PHashMap.empty(),
  conversations: PHashMap.empty(),
  phoneOptOuts: PHashMap.empty(),
  number: null,
});

// ------------------------------------------------------------------------------------------------ keys

/** The name order: folded so "Émile" sorts with "emile", trimmed so stray spaces do not sort first. */
export const nameOrderOf = (name: string): string => foldText(name).trim();

/** E-mail addresses and UIDs are compared whole, case- and accent-insensitive; blank is no key. */
export const wholeKeyOf = (text: string | null): string | null => {
  const key = text === null ? '' : foldText(text.trim());
  return key === '' ? null : key;
};

export const reversedDigits = (digits: string): string => {
  let out = '';
  for (let i = digits.length - 1; i >= 0; i -= 1) out += digits[i];
  return out;
};

const keySet = (key: string | null): ReadonlySet<string> => (key === null ? new Set() : new Set([key]));

const nameWordsOf = (r: ClientRecord | undefined): ReadonlySet<string> => (r === undefined ? new Set() : wordsOf(r.name));
const emailKeysOf = (r: ClientRecord | undefined): ReadonlySet<string> => keySet(r === undefined ? null : wholeKeyOf(r.email));
const uidKeysOf = (r: ClientRecord | undefined): ReadonlySet<string> => keySet(r === undefined ? null : wholeKeyOf(r.uid));
const phoneKeysOf = (r: ClientRecord | undefined): ReadonlySet<string> =>
  keySet(r?.cellPhone == null ? null : reversedDigits(phoneDigits(r.cellPhone)));

// ------------------------------------------------------------------------------------------------ the fold

interface BusinessDraft {
  readonly base: BusinessClients;
  ordinals: PHashMap<number>;
  clients: PVector<ClientRecord>;
  conversations: PHashMap<ClientConversation>;
  phoneOptOuts: PHashMap<boolean>;
  number: E164 | null;
  /** Ordinals whose profile the batch changed. */
  readonly dirty: Set<number>;
}

const finishBusiness = (d: BusinessDraft, edit: Edit): BusinessClients => {
  const base = d.base;
  let byName = base.byName;
  const names = new PrefixChanges(base.names.shortest);
  const emails = new PrefixChanges(base.emails.shortest);
  const phones = new PrefixChanges(base.phones.shortest);
  const uids = new PostingChanges();
  for (const ordinal of d.dirty) {
    const before = base.clients.get(ordinal);
    const after = d.clients.get(ordinal);
    if (after === undefined || before === after) continue;
    if (before !== undefined && compareNameKeys(before.nameKey, after.nameKey) !== 0) byName = byName.delete(before.nameKey, edit);
    byName = byName.set(after.nameKey, ordinal, edit);
    if (before?.name !== after.name) names.diff(ordinal, nameWordsOf(before), nameWordsOf(after));
    if (before?.email !== after.email) emails.diff(ordinal, emailKeysOf(before), emailKeysOf(after));
    if (before?.cellPhone !== after.cellPhone) phones.diff(ordinal, phoneKeysOf(before), phoneKeysOf(after));
    if (before?.uid !== after.uid) uids.diff(ordinal, uidKeysOf(before), uidKeysOf(after));
  }
  const universe = d.clients.size;
  return {
    businessId: base.businessId,
    ordinals: d.ordinals,
    clients: d.clients,
    byName,
    names: applyPrefixChanges(base.names, names, universe, edit),
    emails: applyPrefixChanges(base.emails, emails, universe, edit),
    phones: applyPrefixChanges(base.phones, phones, universe, edit),
    uids: applyPostings(base.uids, uids, universe, edit),
    conversations: d.conversations,
    phoneOptOuts: d.phoneOptOuts,
    number: d.number,
  };
};

/** One fold's work: a draft of each business the batch touches, and the streams it opened. */
class Batch {
  readonly drafts = new Map<BusinessId, BusinessDraft>();
  streams: ClientFinderState['streams'];

  constructor(
    private readonly state: ClientFinderState,
    readonly edit: Edit,
  ) {
    this.streams = state.streams;
  }

  business(businessId: BusinessId): BusinessDraft {
    const known = this.drafts.get(businessId);
    if (known !== undefined) return known;
    const base = this.state.businesses.get(businessId) ?? emptyBusiness(businessId);
    const draft = { base, ordinals: base.ordinals, clients: base.clients, conversations: base.conversations, phoneOptOuts: base.phoneOptOuts, number: base.number, dirty: new Set<number>() };
    this.drafts.set(businessId, draft);
    return draft;
  }

  apply({ streamId, event }: EventEnvelope): void {
    const edit = this.edit;
    switch (event.type) {
      case 'ClientProfileRecorded': {
        const { data } = event;
        const d = this.business(data.businessId);
        const record: ClientRecord = {
          clientId: data.clientId,
          uid: data.uid,
          name: data.name,
          email: data.email,
          cellPhone: data.cellPhone.e164,
          phoneProblem: data.cellPhone.problem,
          nameKey: { name: nameOrderOf(data.name), id: data.clientId },
        };
        let ordinal = d.ordinals.get(data.clientId);
        if (ordinal === undefined) {
          ordinal = d.clients.size;
          d.ordinals = d.ordinals.set(data.clientId, ordinal, edit);
          d.clients = d.clients.push(record, edit);
        } else d.clients = d.clients.set(ordinal, record, edit);
        d.dirty.add(ordinal);
        return;
      }
      case 'ConversationStarted': {
        const { businessId, clientId, conversationId, phone } = event.data;
        // A number that is no client's (`tel:…`) is not in the picker.
        if (clientId === null) return;
        const d = this.business(businessId);
        if (d.conversations.get(clientId) === undefined) d.conversations = d.conversations.set(clientId, { conversationId, phone, unsubscribed: false }, edit);
        this.streams = this.streams.set(streamId, { businessId, clientId }, edit);
        return;
      }
      case 'ClientUnsubscribed':
      case 'ClientResubscribed': {
        const ref = this.streams.get(streamId);
        if (ref === undefined) return;
        const d = this.business(ref.businessId);
        const conversation = d.conversations.get(ref.clientId);
        const unsubscribed = event.type === 'ClientUnsubscribed';
        if (conversation !== undefined && conversation.unsubscribed !== unsubscribed)
          d.conversations = d.conversations.set(ref.clientId, { ...conversation, unsubscribed }, edit);
        return;
      }
      case 'PhoneUnsubscribed':
      case 'PhoneResubscribed': {
        const d = this.business(event.data.businessId);
        d.phoneOptOuts = d.phoneOptOuts.set(event.data.phone, event.type === 'PhoneUnsubscribed', edit);
        return;
      }
      case 'MessageCenterEnabled':
        this.business(event.data.businessId).number = event.data.number;
        return;
      case 'BusinessNumberChanged': {
        const businessId = businessOfStream(streamId);
        if (businessId !== null) this.business(businessId).number = event.data.number;
        return;
      }
      default:
        return;
    }
  }

  finish(): ClientFinderState {
    let businesses = this.state.businesses;
    for (const [businessId, d] of this.drafts) businesses = businesses.set(businessId, finishBusiness(d, this.edit), this.edit);
    return { businesses, streams: this.streams };
  }
}

/**
 * Folds a batch of events (any streams, log order). Reads `ClientProfileRecorded`, `ConversationStarted`
 * of a client, its `ClientUnsubscribed` / `ClientResubscribed`, `PhoneUnsubscribed` / `PhoneResubscribed`,
 * and the business's number (`MessageCenterEnabled`, `BusinessNumberChanged`); ignores everything else.
 */
export const foldClientFinder = (state: ClientFinderState, batch: ReadonlyArray<EventEnvelope>): ClientFinderState =>
  batch.length === 0
    ? state
    : withEdit((edit) => {
        const work = new Batch(state, edit);
        for (const envelope of batch) work.apply(envelope);
        return work.finish();
      });

/** R2's To: picker as a projection for the runner. */
export const clientFinderProjection: Projection<ClientFinderState> = { name: 'client-finder', initial: emptyClientFinder, fold: foldClientFinder };

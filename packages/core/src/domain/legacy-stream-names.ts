import type { DomainEvent } from './events.js';
import { belongsToStream, streamsNamedBy } from './stream-ownership.js';
import {
  BUSINESS_STREAM_PREFIX,
  CLIENT_STREAM_PREFIX,
  CONVERSATION_STREAM_PREFIX,
  NUMBER_STREAM_PREFIX,
  streamName,
  type StreamAddress,
} from './streams.js';
import { ConversationId } from './conversation/events.js';
import { BusinessId, ClientId } from './values/ids.js';
import { E164 } from './values/phone-number.js';

/**
 * Logs written before stream-name components were encoded (0.2 and earlier) joined ids with a bare "-":
 * `acme` + `eu-7` and `acme-eu` + `7` were one stream. This module plans their move to the encoded names,
 * purely from the log: a name alone cannot say where one id ends, so the ids of a client or conversation
 * stream come from its own first event (`ClientProfileRecorded`, `ConversationStarted`), which names them.
 */

/** The name a stream had under the old grammar (ids joined by a bare "-"). */
export const legacyStreamName = (address: StreamAddress): string => {
  switch (address.kind) {
    case 'business':
      return `${BUSINESS_STREAM_PREFIX}${address.businessId}`;
    case 'number':
      return `${NUMBER_STREAM_PREFIX}${address.number}`;
    case 'client':
      return `${CLIENT_STREAM_PREFIX}${address.businessId}-${address.clientId}`;
    case 'conversation':
      return `${CONVERSATION_STREAM_PREFIX}${address.businessId}-${address.conversationId}`;
    case 'inbound-claim':
    case 'phone-subscription':
    case 'usage-ledger':
      // Introduced after the encoding: it never had an old name.
      return streamName(address);
  }
};

/** One event of the old log in log order; `event` is null when this version cannot decode it (it is still copied). */
export interface LoggedEvent {
  readonly streamId: string;
  readonly event: DomainEvent | null;
}

export interface StreamRename {
  readonly from: string;
  readonly to: string;
}

export interface MigrationProblem {
  readonly streamId: string;
  readonly problem: string;
}

/**
 * A stream whose old name another business of the log could also have reached (its id followed by "-" is a
 * prefix of the name): that business's staff may have written into it under the old grammar. Its events
 * stay with the owner its first event names; most events carry no business id, so they cannot be split by
 * the data alone, and an operator should review them.
 */
export interface AmbiguousStream {
  readonly streamId: string;
  readonly owner: BusinessId;
  readonly alsoReachableBy: ReadonlyArray<BusinessId>;
}

export interface StreamMigrationPlan {
  /** The new name of every stream of the log (most keep theirs: ids without "-", "%" or lone surrogates). */
  readonly names: ReadonlyMap<string, string>;
  /** The streams whose name changes, in the order they first appear in the log. */
  readonly renames: ReadonlyArray<StreamRename>;
  /** Anything that makes the move unsafe; a copy refuses to start while there is one. */
  readonly problems: ReadonlyArray<MigrationProblem>;
  readonly ambiguous: ReadonlyArray<AmbiguousStream>;
}

const ownPrefix = (streamId: string): 'business' | 'number' | 'client' | 'conversation' | null =>
  streamId.startsWith(BUSINESS_STREAM_PREFIX)
    ? 'business'
    : streamId.startsWith(NUMBER_STREAM_PREFIX)
      ? 'number'
      : streamId.startsWith(CLIENT_STREAM_PREFIX)
        ? 'client'
        : streamId.startsWith(CONVERSATION_STREAM_PREFIX)
          ? 'conversation'
          : null;

/**
 * The address of one old stream: the first of its events that names ids of its kind names it, and the
 * stream's name must be that address's old name (or its new one: a stream already moved keeps its name).
 * Business and number names have one component, so without such an event the whole rest of the name is the id.
 */
const addressOf = (streamId: string, events: ReadonlyArray<DomainEvent>): StreamAddress | string | null => {
  const kind = ownPrefix(streamId);
  if (kind === null) return null;
  const named = events.flatMap(streamsNamedBy).find((a) => a.kind === kind);
  if (named !== undefined)
    return legacyStreamName(named) === streamId || streamName(named) === streamId ? named : `its ${kind} events name another stream`;
  switch (kind) {
    case 'business': {
      const id = streamId.slice(BUSINESS_STREAM_PREFIX.length);
      return BusinessId.is(id) ? { kind, businessId: id } : `"${id}" is not a business id`;
    }
    case 'number': {
      const number = streamId.slice(NUMBER_STREAM_PREFIX.length);
      return E164.is(number) ? { kind, number } : `"${number}" is not an E.164 number`;
    }
    case 'client':
    case 'conversation':
      return 'no event names the ids of this stream';
  }
};

/** Plans the move of an old log to the encoded stream names. Pure: the same log gives the same plan. */
export const planStreamMigration = (log: ReadonlyArray<LoggedEvent>): StreamMigrationPlan => {
  const streams = new Map<string, DomainEvent[]>();
  for (const { streamId, event } of log) {
    const events = streams.get(streamId) ?? [];
    if (event !== null) events.push(event);
    streams.set(streamId, events);
  }
  const names = new Map<string, string>();
  const problems: MigrationProblem[] = [];
  const owners = new Map<string, StreamAddress>();
  for (const [streamId, events] of streams) {
    const address = addressOf(streamId, events);
    if (typeof address === 'string') {
      problems.push({ streamId, problem: address });
      names.set(streamId, streamId);
      continue;
    }
    // Not an aggregate stream of the Message Center (a newer writer's, a host's): its name is kept.
    if (address === null) {
      names.set(streamId, streamId);
      continue;
    }
    const foreign = events.find((e) => !belongsToStream(e, address));
    if (foreign !== undefined) problems.push({ streamId, problem: `a ${foreign.type} event names another stream than the stream's first event` });
    owners.set(streamId, address);
    names.set(streamId, streamName(address));
  }
  const targets = new Map<string, string[]>();
  for (const [from, to] of names) targets.set(to, [...(targets.get(to) ?? []), from]);
  for (const [to, froms] of targets)
    if (froms.length > 1) for (const from of froms) problems.push({ streamId: from, problem: `${froms.length} streams would be named ${to}` });
  return {
    names,
    renames: [...names].filter(([from, to]) => from !== to).map(([from, to]) => ({ from, to })),
    problems,
    ambiguous: ambiguousStreams(owners),
  };
};

const ambiguousStreams = (owners: ReadonlyMap<string, StreamAddress>): ReadonlyArray<AmbiguousStream> => {
  const businesses = [...owners.values()].flatMap((a) => (a.kind === 'business' ? [a.businessId] : []));
  const found: AmbiguousStream[] = [];
  for (const [streamId, address] of owners) {
    if (address.kind !== 'client' && address.kind !== 'conversation') continue;
    const prefix = address.kind === 'client' ? CLIENT_STREAM_PREFIX : CONVERSATION_STREAM_PREFIX;
    const isId = address.kind === 'client' ? ClientId.is : ConversationId.is;
    // What another business's staff would have asked for to reach this name under the old grammar.
    const others = businesses.filter((b) => b !== address.businessId && streamId.startsWith(`${prefix}${b}-`) && isId(streamId.slice(prefix.length + b.length + 1)));
    if (others.length > 0) found.push({ streamId, owner: address.businessId, alsoReachableBy: others });
  }
  return found;
};

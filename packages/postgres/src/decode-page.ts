import * as E from 'fp-ts/lib/Either.js';
import type { EventDecodeError, RecordedEvent, UnknownEventPolicy, Upcaster } from '@message-center/core';
import { DomainEvent, isKnownEvent, makeEventDecoder, type DomainEventType, type EventEnvelope, type LogPosition } from '@message-center/core/internals';
import { yieldToIo } from './yield-to-io.js';

// A page of `$all` turned into what a transaction applies, with core's decoder and core's rules (the same as
// `application/projection-runner.ts`): known events the projection does not read are passed over undecoded;
// an unknown type or newer version goes to the decoder, then to the `unknownEvents` policy.

/** One event of the page that the checkpoint may move past: decoded for the projection, or passed over. */
export interface ConsumedEvent {
  readonly position: LogPosition;
  /** The decoded event, or null when it is passed over (not read by the projection, or unknown and skipped). */
  readonly envelope: EventEnvelope | null;
  /** Passed over as an event type this version does not know (`unknownEvents: 'skip'`). */
  readonly unknown: boolean;
}

export interface DecodedPage {
  /** The events before the first that could not be decoded (all of them when none), in log order. */
  readonly consumed: ReadonlyArray<ConsumedEvent>;
  /** The event that stopped the page, if one did, and where it is: the checkpoint stops just before it. */
  readonly stop: { readonly error: EventDecodeError; readonly position: LogPosition } | null;
}

export const makePageDecoder = (
  handles: ReadonlySet<DomainEventType>,
  options: { readonly unknownEvents: UnknownEventPolicy; readonly upcasters: ReadonlyArray<Upcaster> },
): ((page: ReadonlyArray<RecordedEvent>) => DecodedPage) => {
  const decode = makeEventDecoder(DomainEvent, options.upcasters);
  return (page) => {
    const consumed: ConsumedEvent[] = [];
    for (const recorded of page) {
      if (isKnownEvent(recorded) && !handles.has(recorded.type)) {
        consumed.push({ position: recorded.position, envelope: null, unknown: false });
        continue;
      }
      const decoded = decode(recorded);
      if (E.isLeft(decoded)) {
        if (decoded.left.code === 'unknown-event-type' && options.unknownEvents === 'skip') {
          consumed.push({ position: recorded.position, envelope: null, unknown: true });
          continue;
        }
        return { consumed, stop: { error: decoded.left, position: recorded.position } };
      }
      const envelope: EventEnvelope = { streamId: recorded.streamId, revision: recorded.revision, position: recorded.position, event: decoded.right };
      consumed.push({ position: recorded.position, envelope, unknown: false });
    }
    return { consumed, stop: null };
  };
};

/** Events decoded between two yields. */
const DECODED_AT_ONCE = 256;

/**
 * `decode` a page in slices, yielding to the event loop between them: a page read ahead is decoded while the
 * database writes the page before, whose statements wait for the event loop to answer them.
 */
export const decodeInSlices = async (decode: (page: ReadonlyArray<RecordedEvent>) => DecodedPage, page: ReadonlyArray<RecordedEvent>): Promise<DecodedPage> => {
  const consumed: ConsumedEvent[] = [];
  for (let start = 0; start < page.length; start += DECODED_AT_ONCE) {
    if (start > 0) await yieldToIo();
    const slice = decode(page.slice(start, start + DECODED_AT_ONCE));
    consumed.push(...slice.consumed);
    if (slice.stop !== null) return { consumed, stop: slice.stop };
  }
  return { consumed, stop: null };
};


import * as E from 'fp-ts/lib/Either.js';
import type { EventToAppend } from '../application/ports/event-store.js';
import { copyJsonBounded, type JsonValue } from './json-value.js';

/** An event checked and copied, ready to be recorded. */
export interface PreparedEvent {
  /** Lower case, the way EventStoreDB hands UUIDs back. */
  readonly id: string;
  readonly type: string;
  readonly data: JsonValue;
  readonly metadata: JsonValue;
}

export interface PreparedBatch {
  readonly events: ReadonlyArray<PreparedEvent>;
  /**
   * The UTF-8 size of the JSON data and metadata when it is over the limit, else null: a batch whose size
   * bound (found during the copy) is within the limit is not serialized to be measured.
   */
  readonly oversize: number | null;
}

interface PreparedOne {
  readonly event: PreparedEvent;
  readonly maxBytes: number;
}

// Any RFC 4122 layout, whatever the version: EventStoreDB takes any GUID.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const prepareEvent = (event: EventToAppend, index: number): E.Either<string, PreparedOne> => {
  const at = `event ${index}`;
  if (!isRecord(event)) return E.left(`${at} is not an object`);
  if (typeof event.id !== 'string' || !UUID.test(event.id)) return E.left(`${at}: id ${JSON.stringify(event.id)} is not a UUID`);
  if (typeof event.type !== 'string' || event.type === '') return E.left(`${at}: the event type must be a non-empty string`);
  const data = copyJsonBounded(event.data, 'data');
  if (E.isLeft(data)) return E.left(`${at} (${event.type}): ${data.left}`);
  const metadata = copyJsonBounded(event.metadata, 'metadata');
  if (E.isLeft(metadata)) return E.left(`${at} (${event.type}): ${metadata.left}`);
  return E.right({
    event: { id: event.id.toLowerCase(), type: event.type, data: data.right.value, metadata: metadata.right.value },
    maxBytes: data.right.maxBytes + metadata.right.maxBytes,
  });
};

// Without narrowing: `Array.isArray` would turn the typed batch into `any[]`. Untyped callers get a clear error.
const isArray = (value: unknown): boolean => Array.isArray(value);
const isRecord = (value: unknown): boolean => typeof value === 'object' && value !== null;

const jsonBytes = (value: JsonValue): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Checks and copies a whole batch before anything is written, so a bad event fails the append as a whole. */
export const prepareBatch = (events: ReadonlyArray<EventToAppend>, maxBytes: number): E.Either<string, PreparedBatch> => {
  if (!isArray(events)) return E.left('the events to append must be an array');
  const prepared: Array<PreparedEvent> = [];
  let bound = 0;
  for (const [index, event] of events.entries()) {
    const result = prepareEvent(event, index);
    if (E.isLeft(result)) return result;
    prepared.push(result.right.event);
    bound += result.right.maxBytes;
  }
  if (bound <= maxBytes) return E.right({ events: prepared, oversize: null });
  let bytes = 0;
  for (const event of prepared) bytes += jsonBytes(event.data) + jsonBytes(event.metadata);
  return E.right({ events: prepared, oversize: bytes > maxBytes ? bytes : null });
};

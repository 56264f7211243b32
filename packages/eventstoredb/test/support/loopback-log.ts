/**
 * The storage side of the loopback EventStoreDB test server: one transaction log (`$all`) plus the
 * per-stream state that EventStoreDB's index keeps. Semantics follow the server's source, cited per rule
 * (repository EventStore/EventStore, `src/EventStore.Core/…`). Test-only code.
 */
import { randomUUID } from 'node:crypto';

/** `EventNumber.DeletedStream` (long.MaxValue): the revision of a tombstone record. */
export const DELETED_STREAM = 2n ** 63n - 1n;

/** `ExpectedVersion` constants (`Data/ExpectedVersion.cs`); a revision is >= 0. */
export const EXPECTED_ANY = -2n;
export const EXPECTED_NO_STREAM = -1n;
export const EXPECTED_STREAM_EXISTS = -4n;

export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface LogRecord {
  readonly streamName: string;
  readonly revision: bigint;
  /** Lower case, as the server prints a GUID. */
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
  /** Ticks (100 ns) since the Unix epoch, as the server sends `created`. */
  readonly created: bigint;
  readonly position: LogPosition;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

interface StreamState {
  /** Index = revision: soft deletion hides events but revisions keep counting. */
  readonly records: LogRecord[];
  tombstoned: boolean;
  /** Soft-deleted: `$tb` is `DeletedStream` in the stream's metadata. */
  softDeleted: boolean;
  /** `$tb` (truncate before): events below it are not read. */
  truncateBefore: bigint;
}

export type WriteResult =
  | { readonly kind: 'written'; readonly lastRevision: bigint; readonly position: LogPosition | undefined }
  | { readonly kind: 'wrong-expected-version'; readonly currentRevision: bigint }
  | { readonly kind: 'stream-deleted' };

export type DeleteResult =
  | { readonly kind: 'deleted'; readonly position: LogPosition }
  | { readonly kind: 'wrong-expected-version'; readonly currentRevision: bigint }
  | { readonly kind: 'stream-deleted' };

export type StreamReadResult =
  | { readonly kind: 'events'; readonly records: ReadonlyArray<LogRecord> }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'deleted' };

const compare = (a: LogPosition, b: LogPosition): number =>
  a.commit < b.commit ? -1 : a.commit > b.commit ? 1 : a.prepare < b.prepare ? -1 : a.prepare > b.prepare ? 1 : 0;

/** Bounded like the server's `_committedEvents` cache (`IndexWriter`), which makes `any` idempotency best effort. */
const COMMITTED_CACHE_LIMIT = 100_000;

// Records start after the chunk header and the epoch records a fresh server writes, as on a real log.
const FIRST_POSITION = 256n;
const RECORD_HEADER_BYTES = 96;

const encoder = new TextEncoder();
const nowTicks = (): bigint => BigInt(Date.now()) * 10_000n;

export class LoopbackLog {
  /** `$all`: every record in commit order. */
  readonly records: LogRecord[] = [];
  private readonly streams = new Map<string, StreamState>();
  private readonly committed = new Map<string, { readonly streamName: string; readonly revision: bigint }>();
  private readonly listeners = new Set<() => void>();
  private nextPosition = FIRST_POSITION;

  onAppend(listener: () => void): () => void {
    const entry = (): void => listener();
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /** Wakes every waiting subscription (appends, and the server stopping). */
  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private state(streamName: string): StreamState {
    let state = this.streams.get(streamName);
    if (state === undefined) {
      state = { records: [], tombstoned: false, softDeleted: false, truncateBefore: 0n };
      this.streams.set(streamName, state);
    }
    return state;
  }

  private lastRevision(state: StreamState | undefined): bigint {
    return BigInt(state?.records.length ?? 0) - 1n;
  }

  /**
   * One record at the end of the log. Committed prepares are read back with commit = prepare = the
   * record's own log position (`ReaderIndex/AllReader.cs`, `new CommitEventRecord(eventRecord,
   * eventRecord.LogPosition)`), so positions grow by the record size like offsets in a chunk.
   */
  private record(streamName: string, revision: bigint, event: ProposedEvent, created: bigint): LogRecord {
    const position = { commit: this.nextPosition, prepare: this.nextPosition };
    const size = RECORD_HEADER_BYTES + encoder.encode(streamName).length + event.type.length * 2 + event.data.length + event.customMetadata.length;
    this.nextPosition += BigInt(size);
    const record: LogRecord = { streamName, revision, ...event, created, position };
    this.records.push(record);
    if (revision !== DELETED_STREAM) {
      this.committed.set(event.id, { streamName, revision });
      if (this.committed.size > COMMITTED_CACHE_LIMIT) {
        const oldest = this.committed.keys().next();
        if (oldest.done !== true) this.committed.delete(oldest.value);
      }
    }
    return record;
  }

  private writeMetadata(streamName: string, metadata: Record<string, unknown>, created: bigint): LogRecord {
    const metaStream = this.state(`$$${streamName}`);
    const record = this.record(
      `$$${streamName}`,
      BigInt(metaStream.records.length),
      { id: randomUUID(), type: '$metadata', contentType: 'application/json', data: encoder.encode(JSON.stringify(metadata)), customMetadata: new Uint8Array() },
      created,
    );
    metaStream.records.push(record);
    return record;
  }

  /**
   * `IndexWriter.CheckCommit` (`Services/Storage/ReaderIndex/IndexWriter.cs`), then the write:
   * - tombstoned → Deleted; `stream-exists` on a soft-deleted stream → Deleted, on a stream without
   *   events (and without metadata) → WrongExpectedVersion;
   * - `any` / `stream-exists`: if the first id is not a committed event of this stream, write; if every id
   *   is, idempotent (answer the revision of the last one); otherwise CorruptedIdempotency, answered as
   *   WrongExpectedVersion;
   * - an exact revision `e` (`no-stream` = -1) below the current one: the ids at `e+1…` must be the batch
   *   (idempotent, answer `e + n`); a first id that differs → WrongExpectedVersion (or, for `no-stream` on
   *   a soft-deleted stream, recreate it); a later one → CorruptedIdempotency (WrongExpectedVersion);
   * - above the current one → WrongExpectedVersion; equal → write.
   * Writing to a soft-deleted stream recreates it: revisions continue and `$tb` becomes the first new one.
   */
  append(streamName: string, expected: bigint, events: ReadonlyArray<ProposedEvent>): WriteResult {
    const existing = this.streams.get(streamName);
    if (existing?.tombstoned === true) return { kind: 'stream-deleted' };
    const current = this.lastRevision(existing);
    const softDeleted = existing?.softDeleted === true;
    const conflict: WriteResult = { kind: 'wrong-expected-version', currentRevision: current };

    if (expected === EXPECTED_STREAM_EXISTS) {
      if (softDeleted) return { kind: 'stream-deleted' };
      if (current < 0n && this.lastRevision(this.streams.get(`$$${streamName}`)) < 0n) return conflict;
    }

    if (expected === EXPECTED_ANY || expected === EXPECTED_STREAM_EXISTS) {
      const found = events.map((event) => this.committed.get(event.id));
      const first = found[0];
      if (first === undefined || first.streamName !== streamName) return this.write(streamName, events);
      let last = first;
      for (const entry of found) {
        if (entry === undefined || entry.streamName !== streamName) return conflict;
        last = entry;
      }
      return this.idempotent(streamName, last.revision);
    }

    if (expected < current) {
      let revision = expected;
      for (const event of events) {
        revision += 1n;
        if (existing?.records[Number(revision)]?.id === event.id) continue;
        if (revision !== expected + 1n) return conflict;
        if (expected === EXPECTED_NO_STREAM && softDeleted) return this.write(streamName, events);
        return conflict;
      }
      // An empty batch at a stale revision repeats nothing.
      return revision === expected ? conflict : this.idempotent(streamName, revision);
    }
    if (expected > current) return conflict;
    return this.write(streamName, events);
  }

  /** Idempotent success: the original write's last revision and that event's position (`CommitCheckResult`). */
  private idempotent(streamName: string, revision: bigint): WriteResult {
    const record = this.streams.get(streamName)?.records[Number(revision)];
    return { kind: 'written', lastRevision: revision, position: record?.position };
  }

  private write(streamName: string, events: ReadonlyArray<ProposedEvent>): WriteResult {
    const state = this.streams.get(streamName);
    // An empty write records nothing: no stream is created and there is no position to report.
    if (events.length === 0) return { kind: 'written', lastRevision: this.lastRevision(state), position: undefined };
    const stream = this.state(streamName);
    const created = nowTicks();
    if (stream.softDeleted) {
      stream.softDeleted = false;
      stream.truncateBefore = BigInt(stream.records.length);
      this.writeMetadata(streamName, { $tb: Number(stream.truncateBefore) }, created);
    }
    let last: LogRecord | undefined;
    for (const event of events) {
      last = this.record(streamName, BigInt(stream.records.length), event, created);
      stream.records.push(last);
    }
    this.notify();
    return { kind: 'written', lastRevision: this.lastRevision(stream), position: last?.position };
  }

  /**
   * Delete (`hard` = tombstone). The expected revision is checked like an append without idempotency.
   * A tombstone writes a `$streamDeleted` record at revision `DeletedStream`, visible in `$all`; a soft
   * delete writes `$tb = DeletedStream` to the `$$stream` metadata stream.
   */
  delete(streamName: string, expected: bigint, hard: boolean): DeleteResult {
    const existing = this.streams.get(streamName);
    if (existing?.tombstoned === true) return { kind: 'stream-deleted' };
    const current = this.lastRevision(existing);
    const matches =
      expected === EXPECTED_ANY ||
      (expected === EXPECTED_NO_STREAM && current === -1n) ||
      (expected === EXPECTED_STREAM_EXISTS && current >= 0n) ||
      expected === current;
    if (!matches) return { kind: 'wrong-expected-version', currentRevision: current };
    const stream = this.state(streamName);
    const created = nowTicks();
    let record: LogRecord;
    if (hard) {
      stream.tombstoned = true;
      record = this.record(
        streamName,
        DELETED_STREAM,
        { id: randomUUID(), type: '$streamDeleted', contentType: 'application/octet-stream', data: new Uint8Array(), customMetadata: new Uint8Array() },
        created,
      );
    } else {
      stream.softDeleted = true;
      record = this.writeMetadata(streamName, { $tb: Number(DELETED_STREAM) }, created);
    }
    this.notify();
    return { kind: 'deleted', position: record.position };
  }

  /** `$tb`: reads and subscriptions from the start of a recreated stream begin here. */
  firstReadableRevision(streamName: string): bigint {
    return this.streams.get(streamName)?.truncateBefore ?? 0n;
  }

  isTombstoned(streamName: string): boolean {
    return this.streams.get(streamName)?.tombstoned === true;
  }

  /**
   * A stream read: from a revision inclusive, forwards or backwards (`Enumerators.ReadStreamForwards` /
   * `ReadStreamBackwards`); a stream without visible events is `NoStream`, a tombstoned one
   * `StreamDeleted`.
   */
  readStream(streamName: string, from: bigint | 'start' | 'end', backwards: boolean, count: bigint): StreamReadResult {
    const state = this.streams.get(streamName);
    if (state?.tombstoned === true) return { kind: 'deleted' };
    if (state === undefined || state.softDeleted || state.records.length === 0) return { kind: 'not-found' };
    const visible = state.records.filter((record) => record.revision >= state.truncateBefore);
    const last = this.lastRevision(state);
    const start = from === 'start' ? (backwards ? -1n : 0n) : from === 'end' ? (backwards ? last : last + 1n) : from;
    const selected = backwards
      ? visible.filter((record) => record.revision <= start).reverse()
      : visible.filter((record) => record.revision >= start);
    return { kind: 'events', records: selected.slice(0, count > BigInt(selected.length) ? selected.length : Number(count)) };
  }

  /** Index in `$all` of the first record at or after `position` (forward reads of `$all` are inclusive). */
  firstIndexAtOrAfter(position: LogPosition): number {
    const index = this.records.findIndex((record) => compare(record.position, position) >= 0);
    return index === -1 ? this.records.length : index;
  }

  /** Backward reads of `$all` take post-positions: records strictly before `position`. */
  lastIndexBefore(position: LogPosition): number {
    for (let index = this.records.length - 1; index >= 0; index -= 1) {
      const record = this.records[index];
      if (record !== undefined && compare(record.position, position) < 0) return index;
    }
    return -1;
  }

  streamRecords(streamName: string): ReadonlyArray<LogRecord> {
    return this.streams.get(streamName)?.records ?? [];
  }
}

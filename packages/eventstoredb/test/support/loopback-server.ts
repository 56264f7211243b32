/**
 * A loopback gRPC server speaking EventStoreDB's Streams API (`Read`, `Append`, `Delete`, `Tombstone`),
 * so that tests exercise the real `@eventstore/db-client` over the wire. Test-only: never exported from
 * `src`. Messages are the client package's generated code (`generated/streams_pb.js`, from
 * `packages/db-client/protos/streams.proto` in EventStore/EventStore-Client-NodeJS); behaviour follows the
 * server (EventStore/EventStore, `src/EventStore.Core/Services/Transport/Grpc/Streams.*.cs` and
 * `Enumerators.*.cs`) and the docs at developers.eventstore.com, cited where each rule is implemented.
 *
 * `ServerFeatures` is not served: grpc-js answers UNIMPLEMENTED, which the client accepts
 * (`Client/ServerFeatures.js`) and then appends with the classic client-streaming `Append`
 * (`streams/appendToStream/index.js`); `BatchAppend` answers UNIMPLEMENTED too.
 */
import { randomUUID } from 'node:crypto';
import { Metadata, Server, ServerCredentials, status, type sendUnaryData, type ServerErrorResponse, type ServerWritableStream } from '@grpc/grpc-js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type { IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb.js';
import type { AppendReq, AppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb.js';
import type { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb.js';
import {
  DELETED_STREAM,
  EXPECTED_ANY,
  EXPECTED_NO_STREAM,
  EXPECTED_STREAM_EXISTS,
  LoopbackLog,
  type LogPosition,
  type LogRecord,
  type ProposedEvent,
} from './loopback-log.js';

const { ReadResp: ReadRespMessage, AppendResp: AppendRespMessage, DeleteResp, TombstoneResp, ReadReq: ReadReqMessage, AppendReq: AppendReqMessage } = streamsPb;
const { Empty, UUID: UUIDMessage, StreamIdentifier: StreamIdentifierMessage } = sharedPb;
const ReadDirection = ReadReqMessage.Options.ReadDirection;
const StreamOptionCase = ReadReqMessage.Options.StreamOptionCase;
const CountOptionCase = ReadReqMessage.Options.CountOptionCase;

/** The server's default `MaxAppendSize` (`--max-append-size`), 1 MiB. */
export const DEFAULT_MAX_APPEND_SIZE = 1_048_576;

export interface LoopbackServerOptions {
  readonly maxAppendSize?: number;
}

export interface LoopbackEventStoreServer {
  readonly port: number;
  /** `esdb://127.0.0.1:PORT?tls=false` */
  readonly connectionString: string;
  /** The stored data; it survives `stop()`/`start()`, like a server's database across a restart. */
  readonly log: LoopbackLog;
  /** Drops every connection and stops listening (a crash, from the client's point of view). */
  readonly stop: () => Promise<void>;
  /** Listens again on the same port. */
  readonly start: () => Promise<void>;
  readonly isRunning: () => boolean;
}

// --- wire helpers -----------------------------------------------------------------------------------

const streamName = (identifier: StreamIdentifier | undefined): string => Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');

const streamIdentifier = (name: string): StreamIdentifier => new StreamIdentifierMessage().setStreamName(Buffer.from(name, 'utf8'));

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const hex64 = (value: string): string => BigInt.asUintN(64, BigInt(value)).toString(16).padStart(16, '0');

/** `Uuid.FromDto`: a string, or two signed 64-bit halves (most significant first). */
const parseUuid = (uuid: UUID | undefined): string | undefined => {
  if (uuid === undefined) return undefined;
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured();
    if (structured === undefined) return undefined;
    const h = hex64(structured.getMostSignificantBits()) + hex64(structured.getLeastSignificantBits());
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  const text = uuid.getString().toLowerCase();
  return GUID.test(text) ? text : undefined;
};

/** The id in the form the reader asked for (`ReadReq.Options.UUIDOption`). */
const uuidMessage = (id: string, structured: boolean): UUID => {
  if (!structured) return new UUIDMessage().setString(id);
  const h = id.replaceAll('-', '');
  const half = (part: string): string => BigInt.asIntN(64, BigInt(`0x${part}`)).toString();
  return new UUIDMessage().setStructured(
    new UUIDMessage.Structured().setMostSignificantBits(half(h.slice(0, 16))).setLeastSignificantBits(half(h.slice(16))),
  );
};

/** An RpcException as the server raises it: status plus the `exception` key the client maps (`RpcExceptions.cs`). */
const rpcError = (code: status, details: string, trailers: Readonly<Record<string, string>> = {}): ServerErrorResponse => {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
};

const streamDeleted = (name: string): ServerErrorResponse =>
  rpcError(status.FAILED_PRECONDITION, `Event stream '${name}' is deleted.`, { exception: 'stream-deleted', 'stream-name': name });

const wrongExpectedVersion = (operation: string, name: string, expected: bigint, actual: bigint): ServerErrorResponse =>
  rpcError(
    status.FAILED_PRECONDITION,
    `${operation} failed due to WrongExpectedVersion. Stream: ${name}, Expected version: ${expected}, Actual version: ${actual}`,
    { exception: 'wrong-expected-version', 'stream-name': name, 'expected-version': expected.toString(), 'actual-version': actual.toString() },
  );

/** The event as `Streams.Read.cs` `ConvertToRecordedEvent` sends it: `type`, `created` (ticks), `content-type`. */
const buildReadResp = (record: LogRecord, structuredIds: boolean): ReadResp => {
  const recorded = new ReadRespMessage.ReadEvent.RecordedEvent()
    .setId(uuidMessage(record.id, structuredIds))
    .setStreamIdentifier(streamIdentifier(record.streamName))
    .setStreamRevision(record.revision.toString())
    .setCommitPosition(record.position.commit.toString())
    .setPreparePosition(record.position.prepare.toString())
    .setData(record.data)
    .setCustomMetadata(record.customMetadata);
  const metadata = recorded.getMetadataMap();
  metadata.set('type', record.type);
  metadata.set('created', record.created.toString());
  metadata.set('content-type', record.contentType);
  const event = new ReadRespMessage.ReadEvent().setEvent(recorded).setCommitPosition(record.position.commit.toString());
  return new ReadRespMessage().setEvent(event);
};

// Records never change, so each is encoded once: google-protobuf's encoding is most of the server's CPU
// time, and grpc-js serialises a message by calling its `serializeBinary()`.
const encoded = new WeakMap<LogRecord, Map<boolean, ReadResp>>();
const readResp = (record: LogRecord, structuredIds: boolean): ReadResp => {
  const forms = encoded.get(record) ?? new Map<boolean, ReadResp>();
  encoded.set(record, forms);
  const cached = forms.get(structuredIds);
  if (cached !== undefined) return cached;
  const resp = buildReadResp(record, structuredIds);
  const bytes = resp.serializeBinary();
  resp.serializeBinary = () => bytes;
  forms.set(structuredIds, resp);
  return resp;
};

/** The expected revision of an Append/Delete/Tombstone as `ExpectedVersion` numbers. */
const expectedOf = (options: {
  hasRevision(): boolean;
  getRevision(): string;
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
}): bigint =>
  options.hasRevision()
    ? BigInt(options.getRevision())
    : options.hasNoStream()
      ? EXPECTED_NO_STREAM
      : options.hasStreamExists()
        ? EXPECTED_STREAM_EXISTS
        : EXPECTED_ANY;

type Matcher = (record: LogRecord) => boolean;

/**
 * `ReadReq.Options.FilterOptions`: on stream name or event type, a regex (unanchored, `Regex.IsMatch`)
 * or else a list of prefixes (`Streams.Read.cs` `ConvertToEventFilter`).
 */
const filterOf = (options: ReadReq.Options): Matcher => {
  const filter = options.getFilter();
  if (!options.hasFilter() || filter === undefined) return () => true;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  const regex = expression?.getRegex() ?? '';
  const prefixes = expression?.getPrefixList() ?? [];
  const pattern = regex === '' ? undefined : new RegExp(regex);
  return (record) => {
    const target = onStream ? record.streamName : record.type;
    return pattern === undefined ? prefixes.some((prefix) => target.startsWith(prefix)) : pattern.test(target);
  };
};

// --- the service ------------------------------------------------------------------------------------

export const startLoopbackEventStore = async (options: LoopbackServerOptions = {}): Promise<LoopbackEventStoreServer> => {
  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  const log = new LoopbackLog();
  let server: Server | undefined;
  let port = 0;
  /** Changes on every stop, so loops of calls from before a stop end. */
  let generation = 0;

  /** Writes with back-pressure; resolves false when the call is gone. */
  const send = (call: ServerWritableStream<ReadReq, ReadResp>, resp: ReadResp): Promise<boolean> =>
    new Promise((resolve) => {
      if (call.cancelled || call.destroyed) return resolve(false);
      if (call.write(resp)) return resolve(true);
      const done = (ok: boolean) => (): void => {
        call.off('drain', onDrain);
        call.off('close', onClose);
        resolve(ok);
      };
      const onDrain = done(true);
      const onClose = done(false);
      call.once('drain', onDrain);
      call.once('close', onClose);
    });

  /** A server-streaming error as grpc-js expects it (`call.destroy(err)` would leave the client waiting). */
  const fail = (call: ServerWritableStream<ReadReq, ReadResp>, error: ServerErrorResponse): void => {
    call.emit('error', error);
  };

  const waitForAppend = (call: ServerWritableStream<ReadReq, ReadResp>): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        unsubscribe();
        call.off('cancelled', done);
        call.off('close', done);
        resolve();
      };
      const unsubscribe = log.onAppend(done);
      call.once('cancelled', done);
      call.once('close', done);
    });

  /**
   * Catch-up subscription, in the order the server writes it (`Streams.Read.cs`,
   * `Enumerators.AllSubscription` / `StreamSubscription`): confirmation, history, `caught_up`, live.
   * The log is walked by index, so an event appended while catching up is sent once, in order.
   */
  const subscribe = async (
    call: ServerWritableStream<ReadReq, ReadResp>,
    startIndex: number,
    matches: Matcher,
    structuredIds: boolean,
    onRecord?: (record: LogRecord) => 'send' | 'skip' | 'deleted',
  ): Promise<void> => {
    const mine = generation;
    const alive = (): boolean => mine === generation && !call.cancelled && !call.destroyed;
    const confirmation = new ReadRespMessage().setConfirmation(new ReadRespMessage.SubscriptionConfirmation().setSubscriptionId(randomUUID()));
    if (!(await send(call, confirmation))) return;
    let index = startIndex;
    let caughtUp = false;
    while (alive()) {
      const record = log.records[index];
      if (record !== undefined) {
        index += 1;
        const verdict = onRecord?.(record) ?? 'send';
        if (verdict === 'deleted') return fail(call, streamDeleted(record.streamName));
        if (verdict === 'send' && matches(record) && !(await send(call, readResp(record, structuredIds)))) return;
        continue;
      }
      if (!caughtUp) {
        caughtUp = true;
        if (!(await send(call, new ReadRespMessage().setCaughtUp(new ReadRespMessage.CaughtUp())))) return;
        continue;
      }
      await waitForAppend(call);
    }
  };

  const readAll = async (call: ServerWritableStream<ReadReq, ReadResp>, options: ReadReq.Options): Promise<void> => {
    const all = options.getAll();
    const structuredIds = options.getUuidOption()?.hasStructured() === true;
    const matches = filterOf(options);
    const positionOf = (): LogPosition | undefined => {
      const position = all?.getPosition();
      return all?.hasPosition() === true && position !== undefined
        ? { commit: BigInt(position.getCommitPosition()), prepare: BigInt(position.getPreparePosition()) }
        : undefined;
    };
    const position = positionOf();
    if (options.getCountOptionCase() === CountOptionCase.SUBSCRIPTION) {
      let start = 0;
      if (all?.hasEnd() === true) start = log.records.length;
      else if (position !== undefined && (position.commit !== 0n || position.prepare !== 0n)) {
        // Exclusive: `Enumerators.AllSubscription.Subscribe` reads one event at the position
        // (`ReadAllEventsForward(pos, 1)`) and catches up from its `NextPos`. `Position.Start` is not skipped.
        const at = log.firstIndexAtOrAfter(position);
        start = Math.min(at + 1, log.records.length);
      }
      return subscribe(call, start, matches, structuredIds);
    }
    // Reads of $all: forwards from a position inclusive (pre-positions), backwards strictly before it
    // (post-positions) — `ReaderIndex/AllReader.cs`.
    const count = BigInt(options.getCount());
    const backwards = options.getReadDirection() === ReadDirection.BACKWARDS;
    const picked: LogRecord[] = [];
    if (backwards) {
      let index = all?.hasStart() === true ? -1 : position === undefined ? log.records.length - 1 : log.lastIndexBefore(position);
      for (; index >= 0 && BigInt(picked.length) < count; index -= 1) {
        const record = log.records[index];
        if (record !== undefined && matches(record)) picked.push(record);
      }
    } else {
      let index = all?.hasEnd() === true ? log.records.length : position === undefined ? 0 : log.firstIndexAtOrAfter(position);
      for (; index < log.records.length && BigInt(picked.length) < count; index += 1) {
        const record = log.records[index];
        if (record !== undefined && matches(record)) picked.push(record);
      }
    }
    for (const record of picked) if (!(await send(call, readResp(record, structuredIds)))) return;
    call.end();
  };

  const readStream = async (call: ServerWritableStream<ReadReq, ReadResp>, options: ReadReq.Options): Promise<void> => {
    const stream = options.getStream();
    const name = streamName(stream?.getStreamIdentifier());
    const structuredIds = options.getUuidOption()?.hasStructured() === true;
    const from = stream?.hasRevision() === true ? BigInt(stream.getRevision()) : stream?.hasEnd() === true ? 'end' : 'start';
    if (options.getCountOptionCase() === CountOptionCase.SUBSCRIPTION) {
      if (log.isTombstoned(name)) return fail(call, streamDeleted(name));
      // Subscriptions from a revision are exclusive ("The positions provided to the subscriptions are
      // exclusive", developers.eventstore.com/clients/grpc/subscribing-to-streams); END means live only.
      const records = log.streamRecords(name);
      const after = from === 'start' ? log.firstReadableRevision(name) - 1n : from === 'end' ? BigInt(records.length) - 1n : from;
      const start = log.records.findIndex((record) => record.streamName === name && record.revision > after);
      return subscribe(call, start === -1 ? log.records.length : start, (record) => record.streamName === name, structuredIds, (record) =>
        record.streamName !== name ? 'skip' : record.revision === DELETED_STREAM ? 'deleted' : record.revision > after ? 'send' : 'skip',
      );
    }
    const result = log.readStream(name, from, options.getReadDirection() === ReadDirection.BACKWARDS, BigInt(options.getCount()));
    switch (result.kind) {
      case 'deleted':
        // `ReadStreamResult.StreamDeleted` → `RpcExceptions.StreamDeleted` (FAILED_PRECONDITION).
        return fail(call, streamDeleted(name));
      case 'not-found': {
        // `ReadStreamResult.NoStream` → a `stream_not_found` message, then the call ends with OK.
        const notFound = new ReadRespMessage().setStreamNotFound(new ReadRespMessage.StreamNotFound().setStreamIdentifier(streamIdentifier(name)));
        if (await send(call, notFound)) call.end();
        return;
      }
      case 'events':
        for (const record of result.records) if (!(await send(call, readResp(record, structuredIds)))) return;
        call.end();
    }
  };

  const read: IStreamsServer['read'] = (call) => {
    const options = call.request.getOptions();
    const run = async (): Promise<void> => {
      if (options === undefined) return fail(call, rpcError(status.INVALID_ARGUMENT, 'ReadReq without options'));
      switch (options.getStreamOptionCase()) {
        case StreamOptionCase.ALL:
          return readAll(call, options);
        case StreamOptionCase.STREAM:
          return readStream(call, options);
        default:
          return fail(call, rpcError(status.INVALID_ARGUMENT, 'ReadReq without stream option'));
      }
    };
    run().catch((error: unknown) => fail(call, rpcError(status.UNKNOWN, `loopback server: ${String(error)}`)));
  };

  /**
   * Client-streaming `Append` (`Streams.Append.cs`): options first, then proposed messages. Each message
   * needs `type` and `content-type`; sizes add up as `Event.SizeOnDisk` (data + metadata + 2 × type
   * length) and the call fails with `maximum-append-size-exceeded` as soon as the sum passes the limit.
   * A wrong expected version is an `AppendResp.wrong_expected_version` reply, not an error; a deleted
   * stream is `RpcExceptions.StreamDeleted`.
   */
  const append: IStreamsServer['append'] = (call, callback: sendUnaryData<AppendResp>) => {
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let size = 0;
    let answered = false;
    const answer = (error: ServerErrorResponse | null, response?: AppendResp): void => {
      if (answered) return;
      answered = true;
      if (error !== null) callback(error, null);
      else callback(null, response);
    };
    call.on('error', () => undefined);
    call.on('data', (request: AppendReq) => {
      if (answered) return;
      if (options === undefined) {
        const first = request.getOptions();
        if (request.getContentCase() !== AppendReqMessage.ContentCase.OPTIONS || first === undefined) {
          return answer(rpcError(status.UNKNOWN, 'the first AppendReq must carry options'));
        }
        options = first;
        return;
      }
      const message = request.getProposedMessage();
      if (request.getContentCase() !== AppendReqMessage.ContentCase.PROPOSED_MESSAGE || message === undefined) {
        return answer(rpcError(status.UNKNOWN, 'AppendReq after the options must be proposed messages'));
      }
      const metadata = message.getMetadataMap();
      const type = metadata.get('type');
      const contentType = metadata.get('content-type');
      const missing = type === undefined ? 'type' : contentType === undefined ? 'content-type' : undefined;
      if (missing !== undefined || type === undefined || contentType === undefined) {
        return answer(
          rpcError(status.INVALID_ARGUMENT, `Required Metadata Property '${missing ?? 'type'}' is missing`, {
            exception: 'missing-required-metadata-property',
            'required-metadata-properties': 'type,content-type',
          }),
        );
      }
      const data = message.getData_asU8();
      const customMetadata = message.getCustomMetadata_asU8();
      size += data.length + customMetadata.length + type.length * 2;
      if (size > maxAppendSize) {
        return answer(
          rpcError(status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
            exception: 'maximum-append-size-exceeded',
            'maximum-append-size': maxAppendSize.toString(),
          }),
        );
      }
      const id = parseUuid(message.getId());
      if (id === undefined) return answer(rpcError(status.UNKNOWN, 'proposed message id is not a UUID'));
      events.push({ id, type, contentType, data: Uint8Array.from(data), customMetadata: Uint8Array.from(customMetadata) });
    });
    call.on('end', () => {
      if (answered) return;
      if (options === undefined) return answer(rpcError(status.UNKNOWN, 'Append without options'));
      const name = streamName(options.getStreamIdentifier());
      const expected = expectedOf(options);
      const result = log.append(name, expected, events);
      const response = new AppendRespMessage();
      switch (result.kind) {
        case 'stream-deleted':
          return answer(streamDeleted(name));
        case 'wrong-expected-version': {
          const wrong = new AppendRespMessage.WrongExpectedVersion();
          if (result.currentRevision < 0n) wrong.setCurrentNoStream(new Empty());
          else wrong.setCurrentRevision(result.currentRevision.toString());
          if (expected === EXPECTED_ANY) wrong.setExpectedAny(new Empty());
          else if (expected === EXPECTED_STREAM_EXISTS) wrong.setExpectedStreamExists(new Empty());
          else if (expected === EXPECTED_NO_STREAM) wrong.setExpectedNoStream(new Empty());
          else wrong.setExpectedRevision(expected.toString());
          return answer(null, response.setWrongExpectedVersion(wrong));
        }
        case 'written': {
          const success = new AppendRespMessage.Success();
          if (result.lastRevision < 0n) success.setNoStream(new Empty());
          else success.setCurrentRevision(result.lastRevision.toString());
          if (result.position === undefined) success.setNoPosition(new Empty());
          else {
            success.setPosition(
              new AppendRespMessage.Position().setCommitPosition(result.position.commit.toString()).setPreparePosition(result.position.prepare.toString()),
            );
          }
          return answer(null, response.setSuccess(success));
        }
      }
    });
  };

  /** `Streams.Delete.cs`: a wrong expected version is `RpcExceptions.WrongExpectedVersion` here (an error). */
  const remove =
    (hard: boolean) =>
    (name: string, expected: bigint): { readonly error: ServerErrorResponse } | { readonly position: LogPosition } => {
      const result = log.delete(name, expected, hard);
      switch (result.kind) {
        case 'stream-deleted':
          return { error: streamDeleted(name) };
        case 'wrong-expected-version':
          return { error: wrongExpectedVersion(hard ? 'Tombstone' : 'Delete', name, expected, result.currentRevision) };
        case 'deleted':
          return { position: result.position };
      }
    };

  const implementation: IStreamsServer = {
    read,
    append,
    delete: (call, callback) => {
      const options = call.request.getOptions();
      if (options === undefined) return callback(rpcError(status.INVALID_ARGUMENT, 'DeleteReq without options'), null);
      const result = remove(false)(streamName(options.getStreamIdentifier()), expectedOf(options));
      if ('error' in result) return callback(result.error, null);
      const position = new DeleteResp.Position().setCommitPosition(result.position.commit.toString()).setPreparePosition(result.position.prepare.toString());
      callback(null, new DeleteResp().setPosition(position));
    },
    tombstone: (call, callback) => {
      const options = call.request.getOptions();
      if (options === undefined) return callback(rpcError(status.INVALID_ARGUMENT, 'TombstoneReq without options'), null);
      const result = remove(true)(streamName(options.getStreamIdentifier()), expectedOf(options));
      if ('error' in result) return callback(result.error, null);
      const position = new TombstoneResp.Position().setCommitPosition(result.position.commit.toString()).setPreparePosition(result.position.prepare.toString());
      callback(null, new TombstoneResp().setPosition(position));
    },
    batchAppend: (call) => {
      call.emit('error', rpcError(status.UNIMPLEMENTED, 'BatchAppend is not served by the loopback server'));
    },
  };

  const listen = async (): Promise<void> => {
    const next = new Server();
    next.addService(streamsGrpc.StreamsService, implementation);
    port = await new Promise<number>((resolve, reject) =>
      next.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) => (error === null ? resolve(bound) : reject(error))),
    );
    server = next;
  };

  await listen();
  return {
    get port() {
      return port;
    },
    get connectionString() {
      return `esdb://127.0.0.1:${port}?tls=false`;
    },
    log,
    stop: async () => {
      const current = server;
      server = undefined;
      generation += 1;
      log.notify();
      current?.forceShutdown();
    },
    start: async () => {
      if (server === undefined) await listen();
    },
    isRunning: () => server !== undefined,
  };
};

/**
 * A loopback gRPC server speaking EventStoreDB's Streams API (`Read`, `Append`, `BatchAppend`, `Delete`,
 * `Tombstone`) and `ServerFeatures`, so that tests exercise the real client over the wire. Test-only:
 * never exported from `src`. Messages are the generated code of the client under test (see
 * `loopback-protocol.ts`: never the other client's); behaviour follows the server (EventStore/EventStore,
 * `src/EventStore.Core/Services/Transport/Grpc/Streams.*.cs`, `ServerFeatures.cs` and `Enumerators.*.cs`)
 * and the docs at developers.eventstore.com, cited where each rule is implemented.
 *
 * Like every server since 21.10 it lists `BatchAppend` in `ServerFeatures`, and both clients then append
 * through it (`streams/appendToStream/index.js`); `{ batchAppend: false }` lists it not and answers it
 * UNIMPLEMENTED, as a 20.x server does, so the clients append with the classic client-streaming `Append`.
 * `calls` counts the calls per RPC, so tests can check which path was exercised. `stall()` leaves chosen
 * RPCs unanswered, or answers them late, to test the adapter's deadlines (`loopback-stall.ts`).
 */
import { randomUUID } from 'node:crypto';
import {
  Server,
  ServerCredentials,
  status,
  type handleBidiStreamingCall,
  type handleClientStreamingCall,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type sendUnaryData,
  type ServerErrorResponse,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { EventStoreDbClientName } from '../../src/client-loader.js';
import { batchAppendHandler } from './loopback-batch-append.js';
import { CLIENT_UNDER_TEST } from './client-under-test.js';
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
import {
  loadProtocol,
  type AppendReqMessage,
  type AppendRespMessage,
  type BatchAppendReqMessage,
  type BatchAppendRespMessage,
  type DeleteReqMessage,
  type DeleteRespMessage,
  type ExpectedRevisionOptions,
  type LoopbackProtocol,
  type ReadOptionsMessage,
  type ReadReqMessage,
  type ReadRespMessage,
  type SupportedMethodsMessage,
} from './loopback-protocol.js';
import { stallControl, type StallableRpc, type StallBehaviour } from './loopback-stall.js';
import { readProposed, rpcError, streamDeletedError, streamName, wireFor, wrongExpectedVersionError } from './loopback-wire.js';

/** The server's default `MaxAppendSize` (`--max-append-size`), 1 MiB. */
export const DEFAULT_MAX_APPEND_SIZE = 1_048_576;

/** The server's default `--write-timeout-ms`. */
const DEFAULT_WRITE_TIMEOUT_MS = 2_000;

/** The version `ServerFeatures` reports: a server that sends `caught_up` (23.10 and later). */
const SERVER_VERSION = '24.10.0';

export interface LoopbackServerOptions {
  readonly maxAppendSize?: number;
  /** List and serve `BatchAppend`, as every server since 21.10 does. Default true. */
  readonly batchAppend?: boolean;
  /** Whose generated code to speak with (never the other's). Default: the client under test. */
  readonly client?: EventStoreDbClientName;
  /** RPCs stalled from the start, with `'ignore'` (see `loopback-stall.ts`). */
  readonly stall?: ReadonlyArray<StallableRpc>;
}

/** Calls received per RPC (`batchAppend` counts calls; `batchAppendWrites` the appends they carried). */
export interface LoopbackCalls {
  read: number;
  append: number;
  batchAppend: number;
  batchAppendWrites: number;
  delete: number;
  tombstone: number;
  getSupportedMethods: number;
}

export interface LoopbackEventStoreServer {
  readonly port: number;
  /** `esdb://127.0.0.1:PORT?tls=false` (the adapter's `connectEventStoreDb` adapts the scheme to the client). */
  readonly connectionString: string;
  /** The stored data; it survives `stop()`/`start()`, like a server's database across a restart. */
  readonly log: LoopbackLog;
  readonly calls: Readonly<LoopbackCalls>;
  /** Whether `BatchAppend` is listed and served. */
  readonly batchAppend: boolean;
  /** Drops every connection and stops listening (a crash, from the client's point of view). */
  readonly stop: () => Promise<void>;
  /** Listens again on the same port. */
  readonly start: () => Promise<void>;
  readonly isRunning: () => boolean;
  /** Leaves these RPCs unanswered (or answers them late) until `resume()`: see `loopback-stall.ts`. */
  readonly stall: (rpcs: ReadonlyArray<StallableRpc>, behaviour?: StallBehaviour) => void;
  readonly resume: () => void;
  /** Calls (on `BatchAppend`: appends) received while their RPC was stalled. */
  readonly stalled: Readonly<Record<StallableRpc, number>>;
}

/** The expected revision of an Append/Delete/Tombstone as `ExpectedVersion` numbers. */
const expectedOf = (options: ExpectedRevisionOptions): bigint =>
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
const filterOf = (options: ReadOptionsMessage): Matcher => {
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

/**
 * `ServerFeatures.GetSupportedMethods` (`ServerFeatures.cs`): every method served, service and method
 * names in lower case, with the features the server lists (`Read`: `position`, `events`; `BatchAppend`:
 * `deadline_duration`). Only what this server serves is listed.
 */
const supportedMethods = (protocol: LoopbackProtocol, paths: ReadonlyArray<string>): SupportedMethodsMessage => {
  const methods = paths.map((path) => {
    const [, service = '', method = ''] = path.split('/');
    const features = method === 'Read' ? ['position', 'events'] : method === 'BatchAppend' ? ['deadline_duration'] : [];
    return new protocol.SupportedMethod().setServiceName(service.toLowerCase()).setMethodName(method.toLowerCase()).setFeaturesList(features);
  });
  return new protocol.SupportedMethods().setEventStoreServerVersion(SERVER_VERSION).setMethodsList(methods);
};

const methodPaths = (service: object): string[] =>
  Object.values(service).flatMap((definition: unknown) => {
    const path: unknown = typeof definition === 'object' && definition !== null ? Reflect.get(definition, 'path') : undefined;
    return typeof path === 'string' ? [path] : [];
  });

// --- the service ------------------------------------------------------------------------------------

type ReadCall = ServerWritableStream<ReadReqMessage, ReadRespMessage>;

export const startLoopbackEventStore = async (options: LoopbackServerOptions = {}): Promise<LoopbackEventStoreServer> => {
  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  const batchAppendServed = options.batchAppend ?? true;
  const protocol = await loadProtocol(options.client ?? CLIENT_UNDER_TEST);
  const wire = wireFor(protocol);
  const log = new LoopbackLog();
  const calls: LoopbackCalls = { read: 0, append: 0, batchAppend: 0, batchAppendWrites: 0, delete: 0, tombstone: 0, getSupportedMethods: 0 };
  const stalls = stallControl(options.stall);
  let server: Server | undefined;
  let port = 0;
  /** Changes on every stop, so loops of calls from before a stop end. */
  let generation = 0;

  /** The event as `Streams.Read.cs` `ConvertToRecordedEvent` sends it: `type`, `created` (ticks), `content-type`. */
  const buildReadResp = (record: LogRecord, structuredIds: boolean): ReadRespMessage => {
    const recorded = new protocol.RecordedEvent()
      .setId(wire.uuidMessage(record.id, structuredIds))
      .setStreamIdentifier(wire.streamIdentifier(record.streamName))
      .setStreamRevision(record.revision.toString())
      .setCommitPosition(record.position.commit.toString())
      .setPreparePosition(record.position.prepare.toString())
      .setData(record.data)
      .setCustomMetadata(record.customMetadata);
    const metadata = recorded.getMetadataMap();
    metadata.set('type', record.type);
    metadata.set('created', record.created.toString());
    metadata.set('content-type', record.contentType);
    const event = new protocol.ReadEvent().setEvent(recorded).setCommitPosition(record.position.commit.toString());
    return new protocol.ReadResp().setEvent(event);
  };

  // Records never change, so each is encoded once: google-protobuf's encoding is most of the server's CPU
  // time, and grpc-js serialises a message by calling its `serializeBinary()`.
  const encoded = new WeakMap<LogRecord, Map<boolean, ReadRespMessage>>();
  const readResp = (record: LogRecord, structuredIds: boolean): ReadRespMessage => {
    const forms = encoded.get(record) ?? new Map<boolean, ReadRespMessage>();
    encoded.set(record, forms);
    const cached = forms.get(structuredIds);
    if (cached !== undefined) return cached;
    const resp = buildReadResp(record, structuredIds);
    const bytes = resp.serializeBinary();
    resp.serializeBinary = () => bytes;
    forms.set(structuredIds, resp);
    return resp;
  };

  /** Writes with back-pressure; resolves false when the call is gone. */
  const send = (call: ReadCall, resp: ReadRespMessage): Promise<boolean> =>
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
  const fail = (call: ReadCall, error: ServerErrorResponse): void => {
    call.emit('error', error);
  };

  const waitForAppend = (call: ReadCall): Promise<void> =>
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
    call: ReadCall,
    startIndex: number,
    matches: Matcher,
    structuredIds: boolean,
    onRecord?: (record: LogRecord) => 'send' | 'skip' | 'deleted',
  ): Promise<void> => {
    const mine = generation;
    const alive = (): boolean => mine === generation && !call.cancelled && !call.destroyed;
    const confirmation = new protocol.ReadResp().setConfirmation(new protocol.SubscriptionConfirmation().setSubscriptionId(randomUUID()));
    if (!(await send(call, confirmation))) return;
    let index = startIndex;
    let caughtUp = false;
    while (alive()) {
      const record = log.records[index];
      if (record !== undefined) {
        index += 1;
        const verdict = onRecord?.(record) ?? 'send';
        if (verdict === 'deleted') return fail(call, streamDeletedError(record.streamName));
        if (verdict === 'send' && matches(record) && !(await send(call, readResp(record, structuredIds)))) return;
        continue;
      }
      if (!caughtUp) {
        caughtUp = true;
        if (!(await send(call, new protocol.ReadResp().setCaughtUp(new protocol.CaughtUp())))) return;
        continue;
      }
      await waitForAppend(call);
    }
  };

  const readAll = async (call: ReadCall, options: ReadOptionsMessage): Promise<void> => {
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
    if (options.getCountOptionCase() === protocol.CountOptionCase.SUBSCRIPTION) {
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
    const backwards = options.getReadDirection() === protocol.ReadDirection.BACKWARDS;
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

  const readStream = async (call: ReadCall, options: ReadOptionsMessage): Promise<void> => {
    const stream = options.getStream();
    const name = streamName(stream?.getStreamIdentifier());
    const structuredIds = options.getUuidOption()?.hasStructured() === true;
    const from = stream?.hasRevision() === true ? BigInt(stream.getRevision()) : stream?.hasEnd() === true ? 'end' : 'start';
    if (options.getCountOptionCase() === protocol.CountOptionCase.SUBSCRIPTION) {
      if (log.isTombstoned(name)) return fail(call, streamDeletedError(name));
      // Subscriptions from a revision are exclusive ("The positions provided to the subscriptions are
      // exclusive", developers.eventstore.com/clients/grpc/subscribing-to-streams); END means live only.
      const records = log.streamRecords(name);
      const after = from === 'start' ? log.firstReadableRevision(name) - 1n : from === 'end' ? BigInt(records.length) - 1n : from;
      const start = log.records.findIndex((record) => record.streamName === name && record.revision > after);
      return subscribe(call, start === -1 ? log.records.length : start, (record) => record.streamName === name, structuredIds, (record) =>
        record.streamName !== name ? 'skip' : record.revision === DELETED_STREAM ? 'deleted' : record.revision > after ? 'send' : 'skip',
      );
    }
    const result = log.readStream(name, from, options.getReadDirection() === protocol.ReadDirection.BACKWARDS, BigInt(options.getCount()));
    switch (result.kind) {
      case 'deleted':
        // `ReadStreamResult.StreamDeleted` → `RpcExceptions.StreamDeleted` (FAILED_PRECONDITION).
        return fail(call, streamDeletedError(name));
      case 'not-found': {
        // `ReadStreamResult.NoStream` → a `stream_not_found` message, then the call ends with OK.
        const notFound = new protocol.ReadResp().setStreamNotFound(new protocol.StreamNotFound().setStreamIdentifier(wire.streamIdentifier(name)));
        if (await send(call, notFound)) call.end();
        return;
      }
      case 'events':
        for (const record of result.records) if (!(await send(call, readResp(record, structuredIds)))) return;
        call.end();
    }
  };

  const read: handleServerStreamingCall<ReadReqMessage, ReadRespMessage> = (call) => {
    calls.read += 1;
    // A stalled read is held open, unanswered (or started late); it ends when the client cancels it.
    const stall = stalls.take('Read');
    stalls.deliverer(stall)(() => serveRead(call));
  };

  const serveRead = (call: ReadCall): void => {
    const options = call.request.getOptions();
    const run = async (): Promise<void> => {
      if (options === undefined) return fail(call, rpcError(status.INVALID_ARGUMENT, 'ReadReq without options'));
      switch (options.getStreamOptionCase()) {
        case protocol.StreamOptionCase.ALL:
          return readAll(call, options);
        case protocol.StreamOptionCase.STREAM:
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
  const append: handleClientStreamingCall<AppendReqMessage, AppendRespMessage> = (call, callback: sendUnaryData<AppendRespMessage>) => {
    calls.append += 1;
    const stall = stalls.take('Append');
    const deliver = stalls.deliverer(stall);
    let options: ExpectedRevisionOptions | undefined;
    const events: ProposedEvent[] = [];
    let size = 0;
    let answered = false;
    const answer = (error: ServerErrorResponse | null, response?: AppendRespMessage): void => {
      if (answered) return;
      answered = true;
      deliver(() => (error !== null ? callback(error, null) : callback(null, response)));
    };
    call.on('error', () => undefined);
    call.on('data', (request: AppendReqMessage) => {
      if (answered) return;
      if (options === undefined) {
        const first = request.getOptions();
        if (request.getContentCase() !== protocol.AppendContentCase.OPTIONS || first === undefined) {
          return answer(rpcError(status.UNKNOWN, 'the first AppendReq must carry options'));
        }
        options = first;
        return;
      }
      const message = request.getProposedMessage();
      if (request.getContentCase() !== protocol.AppendContentCase.PROPOSED_MESSAGE || message === undefined) {
        return answer(rpcError(status.UNKNOWN, 'AppendReq after the options must be proposed messages'));
      }
      const proposed = readProposed(message);
      if (proposed.kind === 'missing-metadata') {
        return answer(
          rpcError(status.INVALID_ARGUMENT, `Required Metadata Property '${proposed.property}' is missing`, {
            exception: 'missing-required-metadata-property',
            'required-metadata-properties': 'type,content-type',
          }),
        );
      }
      if (proposed.kind === 'bad-id') return answer(rpcError(status.UNKNOWN, 'proposed message id is not a UUID'));
      size += proposed.size;
      if (size > maxAppendSize) {
        return answer(
          rpcError(status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
            exception: 'maximum-append-size-exceeded',
            'maximum-append-size': maxAppendSize.toString(),
          }),
        );
      }
      events.push(proposed.event);
    });
    call.on('end', () => {
      if (answered || stall === 'ignore') return;
      if (options === undefined) return answer(rpcError(status.UNKNOWN, 'Append without options'));
      const name = streamName(options.getStreamIdentifier());
      const expected = expectedOf(options);
      const result = log.append(name, expected, events);
      const response = new protocol.AppendResp();
      switch (result.kind) {
        case 'stream-deleted':
          return answer(streamDeletedError(name));
        case 'wrong-expected-version': {
          const wrong = new protocol.AppendWrongExpectedVersion();
          if (result.currentRevision < 0n) wrong.setCurrentNoStream(new protocol.Empty());
          else wrong.setCurrentRevision(result.currentRevision.toString());
          if (expected === EXPECTED_ANY) wrong.setExpectedAny(new protocol.Empty());
          else if (expected === EXPECTED_STREAM_EXISTS) wrong.setExpectedStreamExists(new protocol.Empty());
          else if (expected === EXPECTED_NO_STREAM) wrong.setExpectedNoStream(new protocol.Empty());
          else wrong.setExpectedRevision(expected.toString());
          return answer(null, response.setWrongExpectedVersion(wrong));
        }
        case 'written': {
          const success = new protocol.AppendSuccess();
          if (result.lastRevision < 0n) success.setNoStream(new protocol.Empty());
          else success.setCurrentRevision(result.lastRevision.toString());
          if (result.position === undefined) success.setNoPosition(new protocol.Empty());
          else success.setPosition(new protocol.AppendPosition().setCommitPosition(result.position.commit.toString()).setPreparePosition(result.position.prepare.toString()));
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
          return { error: streamDeletedError(name) };
        case 'wrong-expected-version':
          return { error: wrongExpectedVersionError(hard ? 'Tombstone' : 'Delete', name, expected, result.currentRevision) };
        case 'deleted':
          return { position: result.position };
      }
    };

  const deleteOrTombstone =
    (hard: boolean): handleUnaryCall<DeleteReqMessage, DeleteRespMessage> =>
    (call, callback) => {
      if (hard) calls.tombstone += 1;
      else calls.delete += 1;
      const stall = stalls.take(hard ? 'Tombstone' : 'Delete');
      if (stall === 'ignore') return;
      const deliver = stalls.deliverer(stall);
      const options = call.request.getOptions();
      if (options === undefined) return deliver(() => callback(rpcError(status.INVALID_ARGUMENT, 'DeleteReq without options'), null));
      const result = remove(hard)(streamName(options.getStreamIdentifier()), expectedOf(options));
      if ('error' in result) return deliver(() => callback(result.error, null));
      const position = (hard ? new protocol.TombstonePosition() : new protocol.DeletePosition())
        .setCommitPosition(result.position.commit.toString())
        .setPreparePosition(result.position.prepare.toString());
      deliver(() => callback(null, (hard ? new protocol.TombstoneResp() : new protocol.DeleteResp()).setPosition(position)));
    };

  const batchAppend = batchAppendHandler({
    protocol,
    wire,
    log,
    maxAppendSize,
    writeTimeoutMs: DEFAULT_WRITE_TIMEOUT_MS,
    stalls,
    onAppend: () => {
      calls.batchAppendWrites += 1;
    },
  });

  const batchAppendOrUnimplemented: handleBidiStreamingCall<BatchAppendReqMessage, BatchAppendRespMessage> = (call) => {
    calls.batchAppend += 1;
    // A server before 21.10: grpc's answer to a method it does not know.
    if (!batchAppendServed) call.emit('error', rpcError(status.UNIMPLEMENTED, 'BatchAppend is not served (loopback server option batchAppend: false)'));
    else batchAppend(call);
  };

  const streams: UntypedServiceImplementation = {
    read,
    append,
    delete: deleteOrTombstone(false),
    tombstone: deleteOrTombstone(true),
    batchAppend: batchAppendOrUnimplemented,
  };

  const served = methodPaths(protocol.StreamsService).filter((path) => batchAppendServed || !path.endsWith('/BatchAppend'));
  const features: handleUnaryCall<object, SupportedMethodsMessage> = (_call, callback) => {
    calls.getSupportedMethods += 1;
    const stall = stalls.take('GetSupportedMethods');
    stalls.deliverer(stall)(() => callback(null, supportedMethods(protocol, [...served, ...methodPaths(protocol.ServerFeaturesService)])));
  };

  const listen = async (): Promise<void> => {
    const next = new Server();
    next.addService(protocol.StreamsService, streams);
    next.addService(protocol.ServerFeaturesService, { getSupportedMethods: features });
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
    calls,
    batchAppend: batchAppendServed,
    stop: async () => {
      const current = server;
      server = undefined;
      generation += 1;
      stalls.cancelLateAnswers();
      log.notify();
      current?.forceShutdown();
    },
    start: async () => {
      if (server === undefined) await listen();
    },
    isRunning: () => server !== undefined,
    stall: stalls.stall,
    resume: stalls.resume,
    stalled: stalls.stalled,
  };
};

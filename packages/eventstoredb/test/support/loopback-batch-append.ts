/**
 * `Streams.BatchAppend` of the loopback server: the append path of every EventStoreDB server since 21.10,
 * which both clients use once `ServerFeatures` lists it (`streams/appendToStream/index.js` in each).
 * Semantics of `Streams.BatchAppend.cs` (EventStore/EventStore, `src/EventStore.Core/Services/Transport/
 * Grpc/`) and of `BatchAppendReq`/`BatchAppendResp` in `streams.proto`:
 * - one bidirectional call carries many appends; each is keyed by the request's `correlation_id`, which
 *   every response echoes with the stream identifier;
 * - an append starts with a request carrying `options` (stream, expected position, deadline) and may span
 *   several requests; `is_final` ends it;
 * - results are `BatchAppendResp.success` (`current_revision` or `no_stream`, `position` or `no_position`:
 *   `BatchAppendResp.Success.Completed`) or `error`, a `google.rpc.Status` whose details say why:
 *   `WrongExpectedVersion` (code AlreadyExists), `StreamDeleted` (NotFound), `MaximumAppendSizeExceeded`,
 *   `BadRequest` (InvalidArgument), `Timeout` (DeadlineExceeded) — `Grpc/Status.cs`. A wrong expected
 *   version is therefore not an RpcException as on `Append`/`Delete`, and not an `AppendResp` either;
 * - an append not completed within `min(deadline, write timeout)` answers `Timeout`; a deadline already
 *   past answers `Timeout` at once;
 * - when the client half-closes, the server answers what is pending and ends the call.
 * Not modelled: access checks (the loopback server has no users). A proposed message that lacks its
 * `type` or `content-type` answers BadRequest and drops the append (the server would also answer Timeout
 * later for it; the clients always send both).
 */
import type { handleBidiStreamingCall, ServerDuplexStream } from '@grpc/grpc-js';
import { EXPECTED_ANY, EXPECTED_NO_STREAM, EXPECTED_STREAM_EXISTS, type LoopbackLog, type ProposedEvent } from './loopback-log.js';
import type { BatchAppendOptionsMessage, BatchAppendReqMessage, BatchAppendRespMessage, LoopbackProtocol, StatusMessage, UuidMessage } from './loopback-protocol.js';
import type { Deliver, StallControl } from './loopback-stall.js';
import { parseUuid, readProposed, streamName, type Wire } from './loopback-wire.js';

export interface BatchAppendContext {
  readonly protocol: LoopbackProtocol;
  readonly wire: Wire;
  readonly log: LoopbackLog;
  readonly maxAppendSize: number;
  /** The server's `--write-timeout-ms`, 2 000 by default. */
  readonly writeTimeoutMs: number;
  /** Stalls apply per append (request), not per call: the call is one long-lived stream. */
  readonly stalls: StallControl;
  /** Told about each append that reached the log (the tests check which path was used). */
  readonly onAppend: () => void;
}

interface PendingWrite {
  readonly name: string;
  readonly expected: bigint;
  readonly events: ProposedEvent[];
  size: number;
  readonly timer: NodeJS.Timeout;
}

type Call = ServerDuplexStream<BatchAppendReqMessage, BatchAppendRespMessage>;

/** `FromOptions`: the expected position oneof as `ExpectedVersion` numbers; unset is a bad request. */
const expectedOf = (protocol: LoopbackProtocol, options: BatchAppendOptionsMessage): bigint | undefined => {
  const cases = protocol.ExpectedStreamPositionCase;
  switch (options.getExpectedStreamPositionCase()) {
    case cases.STREAM_POSITION:
      return BigInt(options.getStreamPosition());
    case cases.NO_STREAM:
      return EXPECTED_NO_STREAM;
    case cases.ANY:
      return EXPECTED_ANY;
    case cases.STREAM_EXISTS:
      return EXPECTED_STREAM_EXISTS;
    default:
      return undefined;
  }
};

export const batchAppendHandler = (context: BatchAppendContext): handleBidiStreamingCall<BatchAppendReqMessage, BatchAppendRespMessage> => {
  const { protocol, wire, log } = context;

  return (call: Call) => {
    const pending = new Map<string, PendingWrite>();
    let closed = false;
    /** How answers to the request being handled are sent: set per request (stalls), now otherwise. */
    let deliver: Deliver = context.stalls.deliverer(undefined);

    const respond = (correlationId: UuidMessage | undefined, name: string | undefined, result: { error: StatusMessage } | { success: BatchAppendRespMessage }): void => {
      const response = 'success' in result ? result.success : new protocol.BatchAppendResp().setError(result.error);
      if (correlationId !== undefined) response.setCorrelationId(correlationId);
      if (name !== undefined) response.setStreamIdentifier(wire.streamIdentifier(name));
      deliver(() => {
        if (!closed && !call.cancelled && !call.destroyed) call.write(response);
      });
    };

    /** Writes the append and answers like `ConvertMessage` (`WriteEventsCompleted` → success or error). */
    const complete = (correlationId: UuidMessage | undefined, write: PendingWrite): void => {
      const result = log.append(write.name, write.expected, write.events);
      switch (result.kind) {
        case 'stream-deleted':
          return respond(correlationId, write.name, { error: wire.streamDeletedStatus(write.name) });
        case 'wrong-expected-version':
          return respond(correlationId, write.name, { error: wire.wrongExpectedVersionStatus(result.currentRevision, write.expected) });
        case 'written': {
          context.onAppend();
          const success = new protocol.BatchAppendSuccess();
          if (result.lastRevision < 0n) success.setNoStream(new protocol.GoogleEmpty());
          else success.setCurrentRevision(result.lastRevision.toString());
          if (result.position === undefined) success.setNoPosition(new protocol.GoogleEmpty());
          else success.setPosition(new protocol.AllStreamPosition().setCommitPosition(result.position.commit.toString()).setPreparePosition(result.position.prepare.toString()));
          return respond(correlationId, write.name, { success: new protocol.BatchAppendResp().setSuccess(success) });
        }
      }
    };

    const onRequest = (request: BatchAppendReqMessage): void => {
      const correlationId = request.getCorrelationId();
      const key = parseUuid(correlationId);
      const options = request.getOptions();
      const optionsName = options?.hasStreamIdentifier() === true ? streamName(options.getStreamIdentifier()) : undefined;
      if (key === undefined) return respond(correlationId, optionsName, { error: wire.badRequestStatus('Required field CorrelationId is not a UUID.') });
      if (options !== undefined) {
        if (optionsName === undefined) return respond(correlationId, undefined, { error: wire.badRequestStatus('Required field StreamIdentifier not set.') });
        const deadline = protocol.batchDeadline(options);
        const timeout = Math.min(deadline === undefined ? Number.POSITIVE_INFINITY : deadline.getTime() - Date.now(), context.writeTimeoutMs);
        if (timeout <= 0) return respond(correlationId, optionsName, { error: wire.timeoutStatus() });
        const expected = expectedOf(protocol, options);
        if (expected === undefined) return respond(correlationId, optionsName, { error: wire.badRequestStatus('ExpectedStreamPosition not set.') });
        // `AddOrUpdate`: options repeated for a pending correlation id keep the first ones.
        if (!pending.has(key)) {
          const timer = setTimeout(() => {
            const timedOut = pending.get(key);
            if (timedOut === undefined) return;
            pending.delete(key);
            respond(correlationId, timedOut.name, { error: wire.timeoutStatus() });
          }, timeout);
          pending.set(key, { name: optionsName, expected, events: [], size: 0, timer });
        }
      }
      const write = pending.get(key);
      if (write === undefined) return;
      for (const message of request.getProposedMessagesList()) {
        const proposed = readProposed(message);
        if (proposed.kind !== 'event') {
          pending.delete(key);
          clearTimeout(write.timer);
          const why = proposed.kind === 'bad-id' ? 'proposed message id is not a UUID' : `The given key '${proposed.property}' was not present in the dictionary.`;
          return respond(correlationId, write.name, { error: wire.badRequestStatus(why) });
        }
        write.events.push(proposed.event);
        write.size += proposed.size;
      }
      if (write.size > context.maxAppendSize) {
        pending.delete(key);
        clearTimeout(write.timer);
        return respond(correlationId, write.name, { error: wire.maximumAppendSizeStatus(context.maxAppendSize) });
      }
      if (!request.getIsFinal()) return;
      pending.delete(key);
      clearTimeout(write.timer);
      complete(correlationId, write);
    };

    const drop = (): void => {
      closed = true;
      for (const write of pending.values()) clearTimeout(write.timer);
      pending.clear();
    };

    const onStallableRequest = (request: BatchAppendReqMessage): void => {
      const stall = context.stalls.take('BatchAppend');
      if (stall === 'ignore') return;
      deliver = context.stalls.deliverer(stall);
      try {
        onRequest(request);
      } finally {
        deliver = context.stalls.deliverer(undefined);
      }
    };

    call.on('data', onStallableRequest);
    call.on('error', drop);
    call.on('cancelled', drop);
    // The client half-closed: every complete append has been answered (the log is synchronous).
    call.on('end', () => {
      drop();
      call.end();
    });
  };
};

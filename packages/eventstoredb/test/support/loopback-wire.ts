/**
 * Encoding helpers of the loopback server: UUIDs, stream names, the RpcExceptions the server raises and
 * the `google.rpc.Status` errors of BatchAppend. Cited from EventStore/EventStore,
 * `src/EventStore.Core/Services/Transport/Grpc/…`. Test-only code.
 */
import { Metadata, status, type ServerErrorResponse } from '@grpc/grpc-js';
import { EXPECTED_ANY, EXPECTED_NO_STREAM, EXPECTED_STREAM_EXISTS, type ProposedEvent } from './loopback-log.js';
import type { LoopbackProtocol, ProposedMessage, StatusMessage, StreamIdentifierMessage, UuidMessage } from './loopback-protocol.js';

export const streamName = (identifier: StreamIdentifierMessage | undefined): string =>
  Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const hex64 = (value: string): string => BigInt.asUintN(64, BigInt(value)).toString(16).padStart(16, '0');

/** `Uuid.FromDto`: a string, or two signed 64-bit halves (most significant first). */
export const parseUuid = (uuid: UuidMessage | undefined): string | undefined => {
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

/** An RpcException as the server raises it: status plus the `exception` key the clients map (`RpcExceptions.cs`). */
export const rpcError = (code: status, details: string, trailers: Readonly<Record<string, string>> = {}): ServerErrorResponse => {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
};

export const streamDeletedError = (name: string): ServerErrorResponse =>
  rpcError(status.FAILED_PRECONDITION, `Event stream '${name}' is deleted.`, { exception: 'stream-deleted', 'stream-name': name });

export const wrongExpectedVersionError = (operation: string, name: string, expected: bigint, actual: bigint): ServerErrorResponse =>
  rpcError(
    status.FAILED_PRECONDITION,
    `${operation} failed due to WrongExpectedVersion. Stream: ${name}, Expected version: ${expected}, Actual version: ${actual}`,
    { exception: 'wrong-expected-version', 'stream-name': name, 'expected-version': expected.toString(), 'actual-version': actual.toString() },
  );

/** Encoders bound to one client's generated classes. */
export const wireFor = (protocol: LoopbackProtocol) => {
  const streamIdentifier = (name: string): StreamIdentifierMessage => new protocol.StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));

  /** The id in the form the reader asked for (`ReadReq.Options.UUIDOption`). */
  const uuidMessage = (id: string, structured: boolean): UuidMessage => {
    if (!structured) return new protocol.Uuid().setString(id);
    const h = id.replaceAll('-', '');
    const half = (part: string): string => BigInt.asIntN(64, BigInt(`0x${part}`)).toString();
    return new protocol.Uuid().setStructured(new protocol.UuidStructured().setMostSignificantBits(half(h.slice(0, 16))).setLeastSignificantBits(half(h.slice(16))));
  };

  /** A `google.rpc.Status` with its details packed in an `Any` (`Google.Rpc.Status` helpers, `Grpc/Status.cs`). */
  const rpcStatus = (code: status, message: string, detailsName: string, details: Uint8Array): StatusMessage => {
    const packed = new protocol.Any();
    packed.pack(details, detailsName);
    return new protocol.Status().setCode(code).setMessage(message).setDetails(packed);
  };

  /**
   * `Status.WrongExpectedVersion(current, expected)`: code AlreadyExists, details
   * `event_store.client.WrongExpectedVersion` (`WrongExpectedVersion.Create`: a stream without events is
   * `current_no_stream`; `any` / `no_stream` / `stream_exists` are their empty cases, else the revision).
   */
  const wrongExpectedVersionStatus = (current: bigint, expected: bigint): StatusMessage => {
    const details = new protocol.WrongExpectedVersion();
    if (current < 0n) details.setCurrentNoStream(new protocol.GoogleEmpty());
    else details.setCurrentStreamRevision(current.toString());
    if (expected === EXPECTED_ANY) details.setExpectedAny(new protocol.GoogleEmpty());
    else if (expected === EXPECTED_NO_STREAM) details.setExpectedNoStream(new protocol.GoogleEmpty());
    else if (expected === EXPECTED_STREAM_EXISTS) details.setExpectedStreamExists(new protocol.GoogleEmpty());
    else details.setExpectedStreamPosition(expected.toString());
    return rpcStatus(status.ALREADY_EXISTS, 'WrongExpectedVersion', 'event_store.client.WrongExpectedVersion', details.serializeBinary());
  };

  /** `Status.StreamDeleted(stream)`: code NotFound, details `event_store.client.StreamDeleted`. */
  const streamDeletedStatus = (name: string): StatusMessage => {
    const details = new protocol.StreamDeleted();
    details.setStreamIdentifier(streamIdentifier(name));
    return rpcStatus(status.NOT_FOUND, 'StreamDeleted', 'event_store.client.StreamDeleted', details.serializeBinary());
  };

  /** `Status.MaximumAppendSizeExceeded(max)`: code InvalidArgument. */
  const maximumAppendSizeStatus = (maxAppendSize: number): StatusMessage => {
    const details = new protocol.MaximumAppendSizeExceeded();
    details.setMaxappendsize(maxAppendSize);
    return rpcStatus(status.INVALID_ARGUMENT, 'MaximumAppendSizeExceeded', 'event_store.client.MaximumAppendSizeExceeded', details.serializeBinary());
  };

  /** `Status.BadRequest(message)`: code InvalidArgument. */
  const badRequestStatus = (message: string): StatusMessage => {
    const details = new protocol.BadRequest();
    details.setMessage(message);
    return rpcStatus(status.INVALID_ARGUMENT, 'BadRequest', 'event_store.client.BadRequest', details.serializeBinary());
  };

  /** `Status.Timeout`: code DeadlineExceeded. */
  const timeoutStatus = (): StatusMessage =>
    rpcStatus(status.DEADLINE_EXCEEDED, 'Timeout', 'event_store.client.Timeout', new protocol.Timeout().serializeBinary());

  return { streamIdentifier, uuidMessage, wrongExpectedVersionStatus, streamDeletedStatus, maximumAppendSizeStatus, badRequestStatus, timeoutStatus };
};

export type Wire = ReturnType<typeof wireFor>;

export type ProposedRead =
  | { readonly kind: 'event'; readonly event: ProposedEvent; readonly size: number }
  | { readonly kind: 'missing-metadata'; readonly property: 'type' | 'content-type' }
  | { readonly kind: 'bad-id' };

/**
 * A proposed message of `Append` or `BatchAppend`: `type` and `content-type` are required metadata; its
 * size is `Event.SizeOnDisk` (data + metadata + 2 × the type's length), summed by the server per append.
 */
export const readProposed = (message: ProposedMessage): ProposedRead => {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  if (type === undefined) return { kind: 'missing-metadata', property: 'type' };
  const contentType = metadata.get('content-type');
  if (contentType === undefined) return { kind: 'missing-metadata', property: 'content-type' };
  const id = parseUuid(message.getId());
  if (id === undefined) return { kind: 'bad-id' };
  const data = Uint8Array.from(message.getData_asU8());
  const customMetadata = Uint8Array.from(message.getCustomMetadata_asU8());
  return { kind: 'event', event: { id, type, contentType, data, customMetadata }, size: data.length + customMetadata.length + type.length * 2 };
};

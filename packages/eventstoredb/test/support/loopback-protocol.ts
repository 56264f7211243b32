/**
 * The protobuf messages and gRPC service definitions the loopback server speaks, taken from the generated
 * code of the client under test, and only that one: both clients register their classes in google-protobuf's
 * one global namespace (`goog.exportSymbol('proto.event_store.client.…')`), so a server built on the other
 * client's code would load the very conflict the tests must avoid (issue 9). The messages are the same
 * protocol (`streams.proto`, `shared.proto`, `status.proto`, `serverfeatures.proto` of EventStoreDB,
 * `event_store.client.*`); KurrentDB's copy adds fields the server does not use.
 *
 * The interfaces below are the part of those classes the server calls. The loaders check at compile time
 * that each client's generated classes provide it; setters return the message, as generated code does.
 */
import { createRequire } from 'node:module';
import type { ServiceDefinition } from '@grpc/grpc-js';
import type { EventStoreDbClientName } from '../../src/client-loader.js';

export type EmptyMessage = object;

export interface UuidMessage {
  hasStructured(): boolean;
  getStructured(): UuidStructuredMessage | undefined;
  getString(): string;
  setString(value: string): this;
  setStructured(value?: UuidStructuredMessage): this;
}

export interface UuidStructuredMessage {
  getMostSignificantBits(): string;
  getLeastSignificantBits(): string;
  setMostSignificantBits(value: string): this;
  setLeastSignificantBits(value: string): this;
}

export interface StreamIdentifierMessage {
  getStreamName_asU8(): Uint8Array;
  setStreamName(value: Uint8Array): this;
}

interface SerializableMessage {
  serializeBinary(): Uint8Array;
}

/** The expected revision oneof of `AppendReq`, `DeleteReq` and `TombstoneReq` options. */
export interface ExpectedRevisionOptions {
  getStreamIdentifier(): StreamIdentifierMessage | undefined;
  hasRevision(): boolean;
  getRevision(): string;
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
}

export interface ReadReqMessage {
  getOptions(): ReadOptionsMessage | undefined;
}

export interface ReadOptionsMessage {
  getStreamOptionCase(): number;
  getCountOptionCase(): number;
  getReadDirection(): number;
  getCount(): string;
  getStream(): ReadStreamOptionsMessage | undefined;
  getAll(): ReadAllOptionsMessage | undefined;
  hasFilter(): boolean;
  getFilter(): ReadFilterMessage | undefined;
  getUuidOption(): { hasStructured(): boolean } | undefined;
}

export interface ReadStreamOptionsMessage {
  getStreamIdentifier(): StreamIdentifierMessage | undefined;
  hasRevision(): boolean;
  getRevision(): string;
  hasEnd(): boolean;
}

export interface ReadAllOptionsMessage {
  hasPosition(): boolean;
  getPosition(): { getCommitPosition(): string; getPreparePosition(): string } | undefined;
  hasStart(): boolean;
  hasEnd(): boolean;
}

export interface ReadFilterMessage {
  hasStreamIdentifier(): boolean;
  getStreamIdentifier(): FilterExpressionMessage | undefined;
  getEventType(): FilterExpressionMessage | undefined;
}

export interface FilterExpressionMessage {
  getRegex(): string;
  getPrefixList(): string[];
}

export interface ReadRespMessage extends SerializableMessage {
  setEvent(value?: ReadEventMessage): this;
  setConfirmation(value?: SubscriptionConfirmationMessage): this;
  setCaughtUp(value?: EmptyMessage): this;
  setStreamNotFound(value?: StreamNotFoundMessage): this;
}

export interface ReadEventMessage {
  setEvent(value?: RecordedEventMessage): this;
  setCommitPosition(value: string): this;
}

export interface RecordedEventMessage {
  setId(value?: UuidMessage): this;
  setStreamIdentifier(value?: StreamIdentifierMessage): this;
  setStreamRevision(value: string): this;
  setCommitPosition(value: string): this;
  setPreparePosition(value: string): this;
  setData(value: Uint8Array): this;
  setCustomMetadata(value: Uint8Array): this;
  getMetadataMap(): { set(key: string, value: string): unknown };
}

export interface SubscriptionConfirmationMessage {
  setSubscriptionId(value: string): this;
}

export interface StreamNotFoundMessage {
  setStreamIdentifier(value?: StreamIdentifierMessage): this;
}

export interface ProposedMessage {
  getId(): UuidMessage | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

export interface AppendReqMessage {
  getContentCase(): number;
  getOptions(): ExpectedRevisionOptions | undefined;
  getProposedMessage(): ProposedMessage | undefined;
}

export interface PositionMessage {
  setCommitPosition(value: string): this;
  setPreparePosition(value: string): this;
}

export interface AppendRespMessage {
  setSuccess(value?: AppendSuccessMessage): this;
  setWrongExpectedVersion(value?: AppendWrongExpectedVersionMessage): this;
}

export interface AppendSuccessMessage {
  setCurrentRevision(value: string): this;
  setNoStream(value?: EmptyMessage): this;
  setPosition(value?: PositionMessage): this;
  setNoPosition(value?: EmptyMessage): this;
}

export interface AppendWrongExpectedVersionMessage {
  setCurrentRevision(value: string): this;
  setCurrentNoStream(value?: EmptyMessage): this;
  setExpectedRevision(value: string): this;
  setExpectedAny(value?: EmptyMessage): this;
  setExpectedStreamExists(value?: EmptyMessage): this;
  setExpectedNoStream(value?: EmptyMessage): this;
}

export interface DeleteReqMessage {
  getOptions(): ExpectedRevisionOptions | undefined;
}

export interface DeleteRespMessage {
  setPosition(value?: PositionMessage): this;
}

export interface BatchAppendReqMessage {
  getCorrelationId(): UuidMessage | undefined;
  getOptions(): BatchAppendOptionsMessage | undefined;
  getProposedMessagesList(): ProposedMessage[];
  getIsFinal(): boolean;
}

export interface BatchAppendOptionsMessage {
  hasStreamIdentifier(): boolean;
  getStreamIdentifier(): StreamIdentifierMessage | undefined;
  getExpectedStreamPositionCase(): number;
  getStreamPosition(): string;
}

export interface BatchAppendRespMessage {
  setCorrelationId(value?: UuidMessage): this;
  setStreamIdentifier(value?: StreamIdentifierMessage): this;
  setSuccess(value?: BatchAppendSuccessMessage): this;
  setError(value?: StatusMessage): this;
}

export interface BatchAppendSuccessMessage {
  setCurrentRevision(value: string): this;
  setNoStream(value?: EmptyMessage): this;
  setPosition(value?: PositionMessage): this;
  setNoPosition(value?: EmptyMessage): this;
}

/** `google.rpc.Status`: code (google.rpc.Code, the gRPC status numbers), message, packed details. */
export interface StatusMessage {
  setCode(value: number): this;
  setMessage(value: string): this;
  setDetails(value?: AnyMessage): this;
}

/** `google.protobuf.Any` of google-protobuf (`any_pb.js`). */
export interface AnyMessage {
  pack(serialized: Uint8Array, name: string, typeUrlPrefix?: string): void;
}

export interface WrongExpectedVersionDetails extends SerializableMessage {
  setCurrentStreamRevision(value: string): this;
  setCurrentNoStream(value?: EmptyMessage): this;
  setExpectedStreamPosition(value: string): this;
  setExpectedAny(value?: EmptyMessage): this;
  setExpectedStreamExists(value?: EmptyMessage): this;
  setExpectedNoStream(value?: EmptyMessage): this;
}

export interface SupportedMethodsMessage {
  setEventStoreServerVersion(value: string): this;
  setMethodsList(value: SupportedMethodMessage[]): this;
}

export interface SupportedMethodMessage {
  setMethodName(value: string): this;
  setServiceName(value: string): this;
  setFeaturesList(value: string[]): this;
}

type Ctor<T> = new () => T;

/** Everything the loopback server needs from one client's generated code. */
export interface LoopbackProtocol {
  readonly client: EventStoreDbClientName;
  readonly StreamsService: ServiceDefinition;
  readonly ServerFeaturesService: ServiceDefinition;
  readonly Empty: Ctor<EmptyMessage>;
  readonly GoogleEmpty: Ctor<EmptyMessage>;
  readonly Any: Ctor<AnyMessage>;
  readonly Uuid: Ctor<UuidMessage>;
  readonly UuidStructured: Ctor<UuidStructuredMessage>;
  readonly StreamIdentifier: Ctor<StreamIdentifierMessage>;
  readonly ReadResp: Ctor<ReadRespMessage>;
  readonly ReadEvent: Ctor<ReadEventMessage>;
  readonly RecordedEvent: Ctor<RecordedEventMessage>;
  readonly SubscriptionConfirmation: Ctor<SubscriptionConfirmationMessage>;
  readonly CaughtUp: Ctor<EmptyMessage>;
  readonly StreamNotFound: Ctor<StreamNotFoundMessage>;
  readonly AppendResp: Ctor<AppendRespMessage>;
  readonly AppendSuccess: Ctor<AppendSuccessMessage>;
  readonly AppendPosition: Ctor<PositionMessage>;
  readonly AppendWrongExpectedVersion: Ctor<AppendWrongExpectedVersionMessage>;
  readonly DeleteResp: Ctor<DeleteRespMessage>;
  readonly DeletePosition: Ctor<PositionMessage>;
  readonly TombstoneResp: Ctor<DeleteRespMessage>;
  readonly TombstonePosition: Ctor<PositionMessage>;
  readonly BatchAppendResp: Ctor<BatchAppendRespMessage>;
  readonly BatchAppendSuccess: Ctor<BatchAppendSuccessMessage>;
  readonly AllStreamPosition: Ctor<PositionMessage>;
  readonly Status: Ctor<StatusMessage>;
  readonly WrongExpectedVersion: Ctor<WrongExpectedVersionDetails>;
  readonly StreamDeleted: Ctor<SerializableMessage & { setStreamIdentifier(value?: StreamIdentifierMessage): unknown }>;
  readonly MaximumAppendSizeExceeded: Ctor<SerializableMessage & { setMaxappendsize(value: number): unknown }>;
  readonly BadRequest: Ctor<SerializableMessage & { setMessage(value: string): unknown }>;
  readonly Timeout: Ctor<SerializableMessage>;
  readonly SupportedMethods: Ctor<SupportedMethodsMessage>;
  readonly SupportedMethod: Ctor<SupportedMethodMessage>;
  readonly ReadDirection: { readonly BACKWARDS: number };
  readonly StreamOptionCase: { readonly STREAM: number; readonly ALL: number };
  readonly CountOptionCase: { readonly SUBSCRIPTION: number };
  readonly AppendContentCase: { readonly OPTIONS: number; readonly PROPOSED_MESSAGE: number };
  readonly ExpectedStreamPositionCase: { readonly STREAM_POSITION: number; readonly NO_STREAM: number; readonly ANY: number; readonly STREAM_EXISTS: number };
  /** The BatchAppend deadline (`deadline_21100`, a timestamp: field 6, what both clients send), if any. */
  readonly batchDeadline: (options: BatchAppendOptionsMessage) => Date | undefined;
}

const require = createRequire(import.meta.url);

const propertyOf = (value: unknown, key: string): unknown =>
  (typeof value === 'object' && value !== null) || typeof value === 'function' ? Reflect.get(value, key) : undefined;

const isConstructor = <T>(value: unknown, method: string): value is Ctor<T> =>
  typeof value === 'function' && typeof propertyOf(propertyOf(value, 'prototype'), method) === 'function';

/**
 * google-protobuf's well-known `Any` and `Empty`, which both clients use from the one google-protobuf
 * installed. google-protobuf ships no types (the clients' generated typings bring @types/google-protobuf
 * for themselves), so they are checked at run time for the method the server calls.
 */
const wellKnown = (): { readonly Any: Ctor<AnyMessage>; readonly GoogleEmpty: Ctor<EmptyMessage> } => {
  const Any = propertyOf(require('google-protobuf/google/protobuf/any_pb.js'), 'Any');
  const GoogleEmpty = propertyOf(require('google-protobuf/google/protobuf/empty_pb.js'), 'Empty');
  if (!isConstructor<AnyMessage>(Any, 'pack') || !isConstructor<EmptyMessage>(GoogleEmpty, 'serializeBinary')) {
    throw new TypeError('google-protobuf lacks google.protobuf.Any or google.protobuf.Empty');
  }
  return { Any, GoogleEmpty };
};

/**
 * What one client's generated protocol modules (`streams_pb.js`, `streams_grpc_pb.js`, `shared_pb.js`,
 * `status_pb.js`, `serverfeatures_pb.js`, `serverfeatures_grpc_pb.js`) provide, as far as the server uses it.
 * Both clients' modules satisfy it structurally; `BatchOptions` is the client's own `BatchAppendReq.Options`,
 * whose deadline getter is named differently in each.
 */
interface GeneratedModules<BatchOptions extends BatchAppendOptionsMessage> {
  readonly streams: {
    readonly ReadReq: {
      readonly Options: {
        readonly ReadDirection: LoopbackProtocol['ReadDirection'];
        readonly StreamOptionCase: LoopbackProtocol['StreamOptionCase'];
        readonly CountOptionCase: LoopbackProtocol['CountOptionCase'];
      };
    };
    readonly ReadResp: Ctor<ReadRespMessage> & {
      readonly ReadEvent: Ctor<ReadEventMessage> & { readonly RecordedEvent: Ctor<RecordedEventMessage> };
      readonly SubscriptionConfirmation: Ctor<SubscriptionConfirmationMessage>;
      readonly CaughtUp: Ctor<EmptyMessage>;
      readonly StreamNotFound: Ctor<StreamNotFoundMessage>;
    };
    readonly AppendReq: { readonly ContentCase: LoopbackProtocol['AppendContentCase'] };
    readonly AppendResp: Ctor<AppendRespMessage> & {
      readonly Success: Ctor<AppendSuccessMessage>;
      readonly Position: Ctor<PositionMessage>;
      readonly WrongExpectedVersion: Ctor<AppendWrongExpectedVersionMessage>;
    };
    readonly DeleteResp: Ctor<DeleteRespMessage> & { readonly Position: Ctor<PositionMessage> };
    readonly TombstoneResp: Ctor<DeleteRespMessage> & { readonly Position: Ctor<PositionMessage> };
    readonly BatchAppendReq: {
      readonly Options: Ctor<BatchOptions> & { readonly ExpectedStreamPositionCase: LoopbackProtocol['ExpectedStreamPositionCase'] };
    };
    readonly BatchAppendResp: Ctor<BatchAppendRespMessage> & { readonly Success: Ctor<BatchAppendSuccessMessage> };
  };
  readonly streamsGrpc: { readonly StreamsService: ServiceDefinition };
  readonly shared: {
    readonly Empty: Ctor<EmptyMessage>;
    readonly UUID: Ctor<UuidMessage> & { readonly Structured: Ctor<UuidStructuredMessage> };
    readonly StreamIdentifier: Ctor<StreamIdentifierMessage>;
    readonly AllStreamPosition: Ctor<PositionMessage>;
    readonly WrongExpectedVersion: LoopbackProtocol['WrongExpectedVersion'];
    readonly StreamDeleted: LoopbackProtocol['StreamDeleted'];
    readonly MaximumAppendSizeExceeded: LoopbackProtocol['MaximumAppendSizeExceeded'];
    readonly BadRequest: LoopbackProtocol['BadRequest'];
    readonly Timeout: LoopbackProtocol['Timeout'];
  };
  readonly status: { readonly Status: Ctor<StatusMessage> };
  readonly features: { readonly SupportedMethods: Ctor<SupportedMethodsMessage>; readonly SupportedMethod: Ctor<SupportedMethodMessage> };
  readonly featuresGrpc: { readonly ServerFeaturesService: ServiceDefinition };
}

/**
 * The protocol of one client from its generated modules; `deadline` reads the BatchAppend deadline
 * (`deadline_21100`, a timestamp) from that client's `BatchAppendReq.Options`.
 */
const buildProtocol = <BatchOptions extends BatchAppendOptionsMessage>(
  client: EventStoreDbClientName,
  { streams, streamsGrpc, shared, status, features, featuresGrpc }: GeneratedModules<BatchOptions>,
  deadline: (options: BatchOptions) => { toDate(): Date } | undefined,
): LoopbackProtocol => ({
  client,
  ...wellKnown(),
  StreamsService: streamsGrpc.StreamsService,
  ServerFeaturesService: featuresGrpc.ServerFeaturesService,
  Empty: shared.Empty,
  Uuid: shared.UUID,
  UuidStructured: shared.UUID.Structured,
  StreamIdentifier: shared.StreamIdentifier,
  ReadResp: streams.ReadResp,
  ReadEvent: streams.ReadResp.ReadEvent,
  RecordedEvent: streams.ReadResp.ReadEvent.RecordedEvent,
  SubscriptionConfirmation: streams.ReadResp.SubscriptionConfirmation,
  CaughtUp: streams.ReadResp.CaughtUp,
  StreamNotFound: streams.ReadResp.StreamNotFound,
  AppendResp: streams.AppendResp,
  AppendSuccess: streams.AppendResp.Success,
  AppendPosition: streams.AppendResp.Position,
  AppendWrongExpectedVersion: streams.AppendResp.WrongExpectedVersion,
  DeleteResp: streams.DeleteResp,
  DeletePosition: streams.DeleteResp.Position,
  TombstoneResp: streams.TombstoneResp,
  TombstonePosition: streams.TombstoneResp.Position,
  BatchAppendResp: streams.BatchAppendResp,
  BatchAppendSuccess: streams.BatchAppendResp.Success,
  AllStreamPosition: shared.AllStreamPosition,
  Status: status.Status,
  WrongExpectedVersion: shared.WrongExpectedVersion,
  StreamDeleted: shared.StreamDeleted,
  MaximumAppendSizeExceeded: shared.MaximumAppendSizeExceeded,
  BadRequest: shared.BadRequest,
  Timeout: shared.Timeout,
  SupportedMethods: features.SupportedMethods,
  SupportedMethod: features.SupportedMethod,
  ReadDirection: streams.ReadReq.Options.ReadDirection,
  StreamOptionCase: streams.ReadReq.Options.StreamOptionCase,
  CountOptionCase: streams.ReadReq.Options.CountOptionCase,
  AppendContentCase: streams.AppendReq.ContentCase,
  ExpectedStreamPositionCase: streams.BatchAppendReq.Options.ExpectedStreamPositionCase,
  batchDeadline: (options) => (options instanceof streams.BatchAppendReq.Options ? deadline(options)?.toDate() : undefined),
});

/**
 * `@eventstore/db-client` 6's generated code (`generated/*_pb.js`). Its `BatchAppendReq.Options.deadline`
 * is the timestamp the server calls `deadline_21100`.
 */
const loadEventStoreDb = async (): Promise<LoopbackProtocol> => {
  const streams = (await import('@eventstore/db-client/generated/streams_pb.js')).default;
  const streamsGrpc = (await import('@eventstore/db-client/generated/streams_grpc_pb.js')).default;
  const shared = (await import('@eventstore/db-client/generated/shared_pb.js')).default;
  const status = (await import('@eventstore/db-client/generated/status_pb.js')).default;
  const features = (await import('@eventstore/db-client/generated/serverfeatures_pb.js')).default;
  const featuresGrpc = (await import('@eventstore/db-client/generated/serverfeatures_grpc_pb.js')).default;
  return buildProtocol('eventstore-db', { streams, streamsGrpc, shared, status, features, featuresGrpc }, (options) => options.getDeadline());
};

/** `@kurrent/kurrentdb-client` 1.x's generated code (`generated/kurrentdb/protocols/v1/*_pb.js`). */
const loadKurrentDb = async (): Promise<LoopbackProtocol> => {
  const streams = (await import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js')).default;
  const streamsGrpc = (await import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb.js')).default;
  const shared = (await import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js')).default;
  const status = (await import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb.js')).default;
  const features = (await import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb.js')).default;
  const featuresGrpc = (await import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb.js')).default;
  return buildProtocol('kurrentdb', { streams, streamsGrpc, shared, status, features, featuresGrpc }, (options) => options.getDeadline21100());
};

const loaded = new Map<EventStoreDbClientName, Promise<LoopbackProtocol>>();

/** The protocol from the generated code of `client` (loaded once per process). */
export const loadProtocol = (client: EventStoreDbClientName): Promise<LoopbackProtocol> => {
  let protocol = loaded.get(client);
  if (protocol === undefined) {
    protocol = client === 'kurrentdb' ? loadKurrentDb() : loadEventStoreDb();
    loaded.set(client, protocol);
  }
  return protocol;
};

import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts';
import { DomainEvent } from '../domain/events.js';
import { planStreamMigration, type LoggedEvent, type StreamMigrationPlan } from '../domain/legacy-stream-names.js';
import { STREAM_PREFIX } from '../domain/streams.js';
import { makeEventDecoder, type Upcaster } from './event-codec.js';
import type { LogPosition } from '../domain/log.js';
import type { EventMetadata, EventStore, EventToAppend, RecordedEvent, StoreError } from './ports/event-store.js';

/**
 * Moves a log written with the old stream names (ids joined by a bare "-") to the encoded names: plan from
 * the source's events, then copy every `mc-` event into `target` in log order, with its id, type, data
 * and metadata, under its stream's new name. The target should be empty: copying in place would leave
 * the old events in `$all`, where read models would count them twice.
 */

export interface MigrationRefused {
  readonly code: 'migration-refused';
  readonly message: string;
  readonly plan: StreamMigrationPlan;
}

export interface MigrationReport {
  readonly plan: StreamMigrationPlan;
  readonly copied: number;
}

export interface MigrationOptions {
  /** Upcasters the facade is given, so that older identity events still name their ids. */
  readonly upcasters?: ReadonlyArray<Upcaster>;
  /** Events read from the source per page. Default 4,096. */
  readonly pageSize?: number;
}

// Keeps each append well under a store's size limit (EventStoreDB: 1 MB by default) with 1,600-character bodies.
const MAX_RUN = 100;

const Metadata = t.intersection([t.type({ schemaVersion: t.number }), t.partial({ correlationId: t.string, causationId: t.string })]);

// Events written before schema versions were recorded read as version 1 (event-codec.ts); the copy says so.
const metadataOf = (recorded: RecordedEvent): EventMetadata =>
  Metadata.is(recorded.metadata) ? recorded.metadata : { ...(typeof recorded.metadata === 'object' ? recorded.metadata : {}), schemaVersion: 1 };

/** Reads the `mc-` part of the source's global log page by page. */
const eachPage = async (
  source: EventStore,
  pageSize: number,
  visit: (page: ReadonlyArray<RecordedEvent>) => Promise<E.Either<StoreError, void>>,
): Promise<E.Either<StoreError, void>> => {
  let after: LogPosition | undefined;
  for (;;) {
    const page = await source.readAll({ ...(after === undefined ? {} : { after }), streamPrefix: STREAM_PREFIX, maxCount: pageSize })();
    if (E.isLeft(page)) return page;
    const visited = await visit(page.right);
    if (E.isLeft(visited)) return visited;
    const last = page.right[page.right.length - 1];
    if (last === undefined || page.right.length < pageSize) return E.right(undefined);
    after = last.position;
  }
};

/** The plan of a stored log (pure `planStreamMigration` over its decoded events). */
export const planStoredMigration =
  (source: EventStore, options: MigrationOptions = {}): TE.TaskEither<StoreError, StreamMigrationPlan> =>
  async () => {
    const decode = makeEventDecoder(DomainEvent, options.upcasters ?? []);
    const log: LoggedEvent[] = [];
    const read = await eachPage(source, options.pageSize ?? 4096, async (page) => {
      for (const r of page) {
        const event = decode(r);
        log.push({ streamId: r.streamId, event: E.isRight(event) ? event.right : null });
      }
      return E.right(undefined);
    });
    return E.isLeft(read) ? read : E.right(planStreamMigration(log));
  };

/**
 * Plans, refuses when the plan has a problem, then copies. Consecutive events of one stream go in one
 * append, each with the expected revision the copy has reached: a target holding other events in those
 * streams fails with `concurrency-conflict` instead of interleaving, while the same copy run again (after an
 * interruption, with the same page size) repeats each append exactly, which the stores acknowledge
 * without writing twice (EventStoreDB's idempotent append), and so resumes where it stopped.
 */
export const migrateStreamNames =
  (source: EventStore, target: EventStore, options: MigrationOptions = {}): TE.TaskEither<StoreError | MigrationRefused, MigrationReport> =>
  async () => {
    const planned = await planStoredMigration(source, options)();
    if (E.isLeft(planned)) return planned;
    const plan = planned.right;
    if (plan.problems.length > 0)
      return E.left({
        code: 'migration-refused',
        message: `${plan.problems.length} stream(s) cannot be moved safely: ${plan.problems.slice(0, 3).map((p) => `${p.streamId}: ${p.problem}`).join('; ')}`,
        plan,
      });
    const revisions = new Map<string, bigint>();
    let copied = 0;
    const appendRun = async (streamId: string, run: ReadonlyArray<EventToAppend>): Promise<E.Either<StoreError, void>> => {
      const last = revisions.get(streamId);
      const appended = await target.appendToStream(streamId, run, { expectedRevision: last ?? 'no-stream' })();
      if (E.isLeft(appended)) return appended;
      revisions.set(streamId, appended.right.nextExpectedRevision);
      copied += run.length;
      return E.right(undefined);
    };
    const copy = await eachPage(source, options.pageSize ?? 4096, async (page) => {
      let run: EventToAppend[] = [];
      let runStream: string | null = null;
      for (const r of page) {
        const to = plan.names.get(r.streamId) ?? r.streamId;
        if (runStream !== null && (runStream !== to || run.length >= MAX_RUN)) {
          const done = await appendRun(runStream, run);
          if (E.isLeft(done)) return done;
          run = [];
        }
        runStream = to;
        run.push({ id: r.id, type: r.type, data: r.data, metadata: metadataOf(r) });
      }
      return runStream === null ? E.right(undefined) : appendRun(runStream, run);
    });
    return E.isLeft(copy) ? copy : E.right({ plan, copied });
  };

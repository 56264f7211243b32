import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Pool, PoolClient } from 'pg';
import type { EventStore, LogPosition, RecordedEvent, UnknownEventPolicy, Upcaster } from '@message-center/core';
import { STREAM_PREFIX, compareLogPositions, type EventEnvelope } from '@message-center/core/internals';
import { advisoryUnlock, isLockKey, projectionLockKey, tryAdvisoryLock } from './advisory-lock.js';
import { commitBatch, type BatchTransaction } from './batch-transaction.js';
import { readCheckpoint } from './checkpoints.js';
import { decodeInSlices, makePageDecoder, type DecodedPage } from './decode-page.js';
import { databaseFailure } from './migration-errors.js';
import { DEFAULT_SCHEMA } from './migrations.js';
import { createPause } from './pause.js';
import type { PgProjection, StagedBatch } from './pg-projection.js';
import { poolSecrets } from './pool-secrets.js';
import {
  isFatal,
  runnerDefect,
  runnerEnded,
  storeReadFailed,
  storeReadThrew,
  storeReadTimedOut,
  type PgProjectionError,
  type RunnerEnded,
  type StoreReadError,
} from './runner-errors.js';
import { schemaNameProblem, searchPathOf } from './schema-path.js';
import { openDoorbell, type Doorbell } from './store-doorbell.js';

/**
 * The projection runner: feeds a {@link PgProjection} from the store's `$all` (the `mc-` streams), page by
 * page, each page in one transaction with the projection's checkpoint. Any number of runners of one
 * projection may run (one per instance of the host service): the one holding the projection's advisory lock
 * writes, the others wait and try again every `lockRetryMs`, and take over when the holder stops or dies.
 */
export interface PgProjectionRunnerOptions {
  /** The read models' database. The runner holds one of its connections while it holds the lock. */
  readonly pool: Pool;
  readonly store: EventStore;
  readonly projection: PgProjection;
  /** The schema `migrate` put the tables in (default `public`). */
  readonly schema?: string;
  /** Events per read, and so at most per transaction (default 2,000). */
  readonly pageSize?: number;
  /**
   * While catching up, fold the next page (on a second connection of the pool, in a read-only transaction) while
   * the database writes this one, for projections that can (`stage`: the inbox). Default true; without a second
   * connection free at once the runner writes page after page as without it.
   */
  readonly pipeline?: boolean;
  /** How often a caught-up runner reads again when no live subscription tells it of new events (default 1,000 ms). */
  readonly idleMs?: number;
  /** How often a runner that does not hold the lock tries to take it (default 2,000 ms). */
  readonly lockRetryMs?: number;
  /** The first wait after a failure; it doubles with each failure in a row, up to `maxBackoffMs` (defaults 100 ms, 10 s). */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** A read the store has not answered by then counts as failed, and is tried again (default 30 s). */
  readonly readTimeoutMs?: number;
  /** The advisory lock (default: derived from the schema and the projection's name). */
  readonly lockKey?: bigint;
  /** As in core: `fail` (default) stops at an event type this version does not know; `skip` passes over it. */
  readonly unknownEvents?: UnknownEventPolicy;
  readonly upcasters?: ReadonlyArray<Upcaster>;
  /** Every failure, as it happens (retried ones too). A throwing hook is ignored. */
  readonly onError?: (error: PgProjectionError) => void;
  readonly onStatus?: (status: PgProjectionStatus) => void;
}

/** `waiting-for-lock`: another runner writes (or the database is out of reach); `holding-lock`: this one writes. */
export type PgProjectionStatus = 'waiting-for-lock' | 'holding-lock' | 'stopped' | 'failed';

export interface PgProjectionStats {
  /** Transactions this runner committed. */
  readonly batches: number;
  /** Events it applied (handed to the projection). */
  readonly events: number;
  /** Events of unknown types it passed over (`unknownEvents: 'skip'`). */
  readonly skippedUnknown: number;
  /** Batches it committed as folded while the batch before was written (`pipeline`). */
  readonly pipelined: number;
}

export interface PgProjectionRunner {
  readonly name: string;
  readonly status: () => PgProjectionStatus;
  /**
   * Waits until this runner, holding the lock, has committed every event the store held when the task ran,
   * and answers the checkpoint. A runner that waits for the lock answers only once it took over; one that
   * ends first answers `runner-ended`.
   */
  readonly caughtUp: () => TE.TaskEither<RunnerEnded, LogPosition | null>;
  /**
   * Ends the runner: the batch in progress commits or rolls back, the lock is released and the connection
   * returned. Never rejects. Not to be awaited from inside `apply` or a hook (it waits for them).
   */
  readonly stop: () => Promise<void>;
  /** Settles when the runner ends: Right after `stop`, Left with the error that stopped it (see `isFatal`). */
  readonly done: Promise<E.Either<PgProjectionError, void>>;
  readonly stats: () => PgProjectionStats;
}

/** Fewer, larger transactions: 2,000 events a page folded 22–24k events/s at 5,000 conversations where 500 did 18k (the per-batch statements cost the same for 500 events). */
export const DEFAULT_PAGE_SIZE = 2_000;

const MAX_TIMER_MS = 2 ** 31 - 1;

interface Settings {
  readonly pageSize: number;
  readonly idleMs: number;
  readonly lockRetryMs: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly readTimeoutMs: number;
}

/** A numeric option out of range is a programming error, told at start-up (as core's facade does). */
const settingsOf = (options: PgProjectionRunnerOptions): Settings => {
  const whole = (name: string, value: number | undefined, fallback: number, max: number): number => {
    const n = value ?? fallback;
    if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new RangeError(`${name}: a whole number from 1 to ${max}, got ${n}`);
    return n;
  };
  const settings: Settings = {
    pageSize: whole('pageSize', options.pageSize, DEFAULT_PAGE_SIZE, 100_000),
    idleMs: whole('idleMs', options.idleMs, 1_000, MAX_TIMER_MS),
    lockRetryMs: whole('lockRetryMs', options.lockRetryMs, 2_000, MAX_TIMER_MS),
    backoffMs: whole('backoffMs', options.backoffMs, 100, MAX_TIMER_MS),
    maxBackoffMs: whole('maxBackoffMs', options.maxBackoffMs, 10_000, MAX_TIMER_MS),
    readTimeoutMs: whole('readTimeoutMs', options.readTimeoutMs, 30_000, MAX_TIMER_MS),
  };
  if (settings.maxBackoffMs < settings.backoffMs) throw new RangeError(`maxBackoffMs (${settings.maxBackoffMs}) is below backoffMs (${settings.backoffMs})`);
  const schemaProblem = schemaNameProblem(options.schema ?? DEFAULT_SCHEMA);
  if (schemaProblem !== null) throw new RangeError(`schema ${JSON.stringify(options.schema)} ${schemaProblem}`);
  if (options.lockKey !== undefined && !isLockKey(options.lockKey)) throw new RangeError(`lockKey: a signed 64-bit integer, got ${options.lockKey}`);
  if (options.projection.name === '') throw new RangeError('projection.name is empty');
  return settings;
};

/** The runner's connection while it holds the lock; `broken` once the driver reported the connection lost. */
interface Session {
  readonly client: PoolClient;
  broken: boolean;
  readonly unwatch: () => void;
}

/** How holding the lock ended. */
type Tenure = { readonly kind: 'stopped' } | { readonly kind: 'lost' } | { readonly kind: 'fatal'; readonly error: PgProjectionError };

/** A page being read: where from, its number among the reads (`caughtUp`), and the page decoded, a failure, or stop. */
interface PageRead {
  readonly after: LogPosition | null;
  readonly readNumber: number;
  readonly page: Promise<E.Either<StoreReadError, { readonly events: ReadonlyArray<RecordedEvent>; readonly decoded: DecodedPage }> | 'stopped'>;
}

/** A page's batch being staged on the reader while the page before it is written. */
interface Staging {
  readonly read: PageRead;
  /** Null when it could not be staged: the batch is then applied on the writer's connection. */
  readonly staged: Promise<StagedBatch | null>;
}

/** How long the runner waits for its reader's connection before it writes without one. */
const READER_WAIT_MS = 250;

/** The events of a page a projection is given. */
const envelopesOf = (consumed: DecodedPage['consumed']): ReadonlyArray<EventEnvelope> =>
  consumed.map((event) => event.envelope).filter((envelope): envelope is EventEnvelope => envelope !== null);

interface Waiter {
  /** Answered by a read that started after this many reads. */
  readonly after: number;
  readonly resolve: (answer: E.Either<RunnerEnded, LogPosition | null>) => void;
}

export const startPgProjection = (options: PgProjectionRunnerOptions): PgProjectionRunner => {
  const settings = settingsOf(options);
  const { pool, store, projection } = options;
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const lockKey = options.lockKey ?? projectionLockKey(schema, projection.name);
  const secrets = poolSecrets(pool);
  const decodePage = makePageDecoder(projection.handles, { unknownEvents: options.unknownEvents ?? 'fail', upcasters: options.upcasters ?? [] });
  const pause = createPause();

  let stopping = false;
  let signalStop: () => void = () => undefined;
  const stopRequested = new Promise<'stopped'>((resolve) => {
    signalStop = () => resolve('stopped');
  });
  let status: PgProjectionStatus = 'waiting-for-lock';
  let ended: RunnerEnded | null = null;
  let readsStarted = 0;
  let waiters: Waiter[] = [];
  let failuresInARow = 0;
  let stats: PgProjectionStats = { batches: 0, events: 0, skippedUnknown: 0, pipelined: 0 };

  const report = (error: PgProjectionError): void => {
    try {
      options.onError?.(error);
    } catch {
      // A hook that throws must not stop the runner.
    }
  };
  const setStatus = (next: PgProjectionStatus): void => {
    if (status === next) return;
    status = next;
    try {
      options.onStatus?.(next);
    } catch {
      // As for onError.
    }
  };
  /** Exponential, with jitter so that runners failing together do not retry together. */
  const backoff = (): number => {
    const ceiling = Math.min(settings.maxBackoffMs, settings.backoffMs * 2 ** Math.min(failuresInARow, 30));
    failuresInARow += 1;
    return Math.ceil(ceiling / 2 + (Math.random() * ceiling) / 2);
  };

  /** One page after `after`: the store's answer, a failure as a value, or 'stopped' when stop came first. */
  const readPage = async (after: LogPosition | null): Promise<E.Either<StoreReadError, ReadonlyArray<RecordedEvent>> | 'stopped'> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<E.Either<StoreReadError, never>>((resolve) => {
      timer = setTimeout(() => resolve(E.left(storeReadTimedOut(settings.readTimeoutMs))), settings.readTimeoutMs);
    });
    // A read that hangs is left behind; whatever it answers later is ignored, and it cannot reject.
    const read = (async (): Promise<E.Either<StoreReadError, ReadonlyArray<RecordedEvent>>> => {
      try {
        const page = await store.readAll({ ...(after === null ? {} : { after }), streamPrefix: STREAM_PREFIX, maxCount: settings.pageSize })();
        return E.isLeft(page) ? E.left(storeReadFailed(page.left, secrets)) : E.right(page.right);
      } catch (thrown: unknown) {
        return E.left(storeReadThrew(thrown, secrets));
      }
    })();
    try {
      return await Promise.race([read, timedOut, stopRequested]);
    } finally {
      clearTimeout(timer);
    }
  };

  /** Starts reading the page after `after`, counted as a read for `caughtUp`; the page is decoded as it arrives. */
  const startRead = (after: LogPosition | null): PageRead => {
    readsStarted += 1;
    const page = readPage(after).then(async (read) => (read === 'stopped' || E.isLeft(read) ? read : E.right({ events: read.right, decoded: await decodeInSlices(decodePage, read.right) })));
    // A host's upcaster may throw in `decodePage`. A page read ahead is awaited only after the commit, or never
    // (a failed commit drops it): its rejection must not go unhandled meanwhile, which would end the host's
    // process. Awaiting it still throws, and the runner ends with `internal-error` as it did before read-ahead.
    page.catch(() => undefined);
    return { after, readNumber: readsStarted, page };
  };

  const watch = (client: PoolClient): Session => {
    const session: Session = { client, broken: false, unwatch: () => client.off('error', lost) };
    // A connection that dies between statements makes the client emit 'error'; unheard, it would crash the
    // host. The runner notices at once (wake) and lets the connection go.
    const lost = (): void => {
      session.broken = true;
      pause.wake();
    };
    client.on('error', lost);
    return session;
  };

  const letGo = (session: Session, destroy: boolean): void => {
    session.unwatch();
    if (destroy) {
      // A dropped connection may still report its end; it is nobody's any more, and must not crash the host.
      session.client.on('error', () => undefined);
      session.client.release(true);
    } else session.client.release();
  };

  /** A pool connection, or null when stop came first (a connection that arrives later goes back at once). */
  const connect = async (): Promise<PoolClient | null> => {
    const connecting = pool.connect();
    const first = await Promise.race([connecting, stopRequested]);
    if (first !== 'stopped') return first;
    connecting.then(
      (client) => client.release(),
      () => undefined,
    );
    return null;
  };

  // Readers let go when their staging failed (not to be let go twice).
  const droppedReaders = new WeakSet<Session>();

  /**
   * A second connection for staging, or null: none free at once (the runner holds one already, and a pool of one
   * would wait for ever), none within READER_WAIT_MS, or stop.
   */
  const openReader = async (): Promise<Session | null> => {
    if (pool.totalCount >= (pool.options.max ?? 10) && pool.idleCount === 0) return null;
    const connecting = pool.connect();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), READER_WAIT_MS);
    });
    const first = await Promise.race([connecting, late, stopRequested]).catch(() => 'failed' as const);
    clearTimeout(timer);
    if (typeof first !== 'string') return watch(first);
    connecting.then(
      (client) => client.release(),
      () => undefined,
    );
    return null;
  };

  /**
   * Stages `batch` on the reader, in a read-only transaction under the schema's search path; null when it cannot
   * (the batch is then applied on the writer's connection, where a failure is reported and retried). A reader
   * that failed once is not used again in this tenure.
   */
  const stageOn = async (reader: Session, batch: ReadonlyArray<EventEnvelope>, previous: StagedBatch | null): Promise<StagedBatch | null> => {
    const stage = projection.stage;
    if (stage === undefined || reader.broken || batch.length === 0) return null;
    try {
      await reader.client.query('BEGIN READ ONLY');
      await reader.client.query("SELECT set_config('search_path', $1, true)", [searchPathOf(schema)]);
      const staged = await stage(reader.client, batch, previous);
      await reader.client.query('COMMIT');
      return staged;
    } catch {
      // Dropped at once: left in its transaction it would hold its tables' locks (a migration's ALTER would wait,
      // and the writer behind it) until the tenure ends.
      reader.broken = true;
      if (!droppedReaders.has(reader)) {
        droppedReaders.add(reader);
        letGo(reader, true);
      }
      return null;
    }
  };

  /** Stages the page `read` will give, once it is read, after `previous` (this page's staged batch, or null when it writes nothing). */
  const stageAhead = (reader: Session, read: PageRead, previous: StagedBatch | null): Staging => ({
    read,
    staged: (async () => {
      try {
        const page = await read.page;
        return page === 'stopped' || E.isLeft(page) ? null : await stageOn(reader, envelopesOf(page.right.decoded.consumed), previous);
      } catch {
        // A page that cannot be decoded fails where the loop reads it.
        return null;
      }
    })(),
  });

  /** Waits until this runner holds the lock (a session on the connection that holds it), or stop. */
  const acquire = async (): Promise<Session | null> => {
    while (!stopping) {
      let client: PoolClient | null;
      try {
        client = await connect();
      } catch (cause: unknown) {
        setStatus('waiting-for-lock');
        report(databaseFailure(cause, `connecting for projection ${projection.name}`, secrets));
        await pause.sleep(backoff());
        continue;
      }
      if (client === null) return null;
      const session = watch(client);
      let locked: boolean;
      try {
        locked = await tryAdvisoryLock(client, lockKey);
      } catch (cause: unknown) {
        letGo(session, true);
        setStatus('waiting-for-lock');
        report(databaseFailure(cause, `taking the lock of projection ${projection.name}`, secrets));
        await pause.sleep(backoff());
        continue;
      }
      if (locked) return session;
      letGo(session, false);
      setStatus('waiting-for-lock');
      await pause.sleep(settings.lockRetryMs);
    }
    return null;
  };

  const answerWaiters = (readNumber: number, checkpoint: LogPosition | null): void => {
    const ready = waiters.filter((waiter) => waiter.after < readNumber);
    waiters = waiters.filter((waiter) => waiter.after >= readNumber);
    for (const waiter of ready) waiter.resolve(E.right(checkpoint));
  };

  /** Writes while holding the lock: page after page from the committed checkpoint, until stop, a lost connection or a fatal error. */
  const project = async (session: Session): Promise<Tenure> => {
    setStatus('holding-lock');
    const batchTransaction: BatchTransaction = { client: session.client, projection, schema, secrets };
    let doorbell: Doorbell | null = null;
    let doorbells = 0;
    // The next page's batch, staged on a second connection while this page's is written.
    const reader = projection.stage !== undefined && options.pipeline !== false ? await openReader() : null;
    let next: Staging | null = null;
    const ringFor = (): (() => void) => {
      const mine = ++doorbells;
      return () => {
        if (mine === doorbells) doorbell = null;
      };
    };
    try {
      // Where the tables are: the committed checkpoint (after a crash or a takeover, whatever was committed last).
      let cursor: LogPosition | null;
      try {
        cursor = await readCheckpoint(session.client, schema, projection.name);
      } catch (cause: unknown) {
        report(databaseFailure(cause, `reading the checkpoint of ${projection.name}`, secrets));
        return { kind: 'lost' };
      }
      // The next page, read and decoded while this one is written (the store and the database work at once);
      // taken only when this one's commit left the checkpoint where that read started.
      let ahead: PageRead | null = null;
      while (!stopping) {
        if (session.broken) return { kind: 'lost' };
        const read: PageRead = ahead !== null && ahead.after !== null && cursor !== null && compareLogPositions(ahead.after, cursor) === 0 ? ahead : startRead(cursor);
        ahead = null;
        const { readNumber } = read;
        const page = await read.page;
        if (page === 'stopped') break;
        if (E.isLeft(page)) {
          report(page.left);
          if (isFatal(page.left)) return { kind: 'fatal', error: page.left };
          await pause.sleep(backoff());
          continue;
        }
        const { events, decoded } = page.right;
        const last = events[events.length - 1];
        // A full page that nothing stops: the log may go on after it.
        if (last !== undefined && events.length === settings.pageSize && decoded.stop === null) ahead = startRead(last.position);
        if (decoded.consumed.length > 0) {
          let staged: StagedBatch | null = null;
          let pipelined = false;
          if (reader !== null) {
            const waiting = next;
            next = null;
            const stagedAhead = waiting === null ? null : await waiting.staged;
            const batch = envelopesOf(decoded.consumed);
            // Staged while the page before was written, from this very page; else staged now (the first page).
            staged = waiting?.read === read ? stagedAhead : null;
            pipelined = staged !== null;
            if (staged === null) staged = await stageOn(reader, batch, null);
            // The next page can be staged while this one is written only if what this one changes is known:
            // staged, or nothing. Its reads see what committed before this page.
            if (ahead !== null && (staged !== null || batch.length === 0)) next = stageAhead(reader, ahead, staged);
          }
          const outcome = await commitBatch(batchTransaction, cursor, decoded.consumed, staged);
          // The next page was staged after this one as staged: written otherwise, or not at all, it is stale.
          if (E.isLeft(outcome) || outcome.right.kind !== 'committed' || (staged !== null && !outcome.right.wroteStaged)) {
            const stale: Staging | null = next;
            next = null;
            await stale?.staged;
          }
          if (E.isLeft(outcome)) {
            report(outcome.left.error);
            if (outcome.left.connectionBroken) return { kind: 'lost' };
            if (isFatal(outcome.left.error)) return { kind: 'fatal', error: outcome.left.error };
            // Rolled back: the cursor still names the committed checkpoint.
            await pause.sleep(backoff());
            continue;
          }
          cursor = outcome.right.checkpoint;
          if (outcome.right.kind === 'behind') continue;
          if (outcome.right.kind === 'committed') {
            const { applied, skippedUnknown } = outcome.right;
            stats = {
              batches: stats.batches + 1,
              events: stats.events + applied,
              skippedUnknown: stats.skippedUnknown + skippedUnknown,
              pipelined: stats.pipelined + (pipelined && outcome.right.wroteStaged ? 1 : 0),
            };
          }
        }
        failuresInARow = 0;
        const stop = decoded.stop;
        // An event that cannot be read stops the runner, unless another writer already took the log past it.
        if (stop !== null && (cursor === null || compareLogPositions(stop.position, cursor) > 0)) {
          report(stop.error);
          return { kind: 'fatal', error: stop.error };
        }
        if (stop === null && events.length < settings.pageSize) {
          answerWaiters(readNumber, cursor);
          if (doorbell === null) {
            const forget = ringFor();
            doorbell = openDoorbell(store, cursor, pause.wake, (failure) => {
              forget();
              report('code' in failure ? storeReadFailed(failure, secrets) : storeReadThrew(failure.thrown, secrets));
            });
          }
          await pause.sleep(settings.idleMs);
        }
      }
      return { kind: 'stopped' };
    } finally {
      const open: Doorbell | null = doorbell;
      doorbell = null;
      await open?.close();
      const staging: Staging | null = next;
      next = null;
      await staging?.staged;
      // A reader that failed was dropped when it failed; one the driver reported lost is dropped now.
      if (reader !== null && !droppedReaders.has(reader)) letGo(reader, reader.broken);
    }
  };

  /** Gives the lock back and the connection to the pool; a connection that cannot unlock is dropped, which unlocks too. */
  const release = async (session: Session): Promise<void> => {
    let destroy = session.broken;
    if (!destroy) {
      try {
        destroy = !(await advisoryUnlock(session.client, lockKey));
      } catch {
        destroy = true;
      }
    }
    letGo(session, destroy);
  };

  const run = async (): Promise<E.Either<PgProjectionError, void>> => {
    while (!stopping) {
      const session = await acquire();
      if (session === null) break;
      let tenure: Tenure;
      try {
        tenure = await project(session);
      } catch (thrown: unknown) {
        // A defect of the runner: let the connection (and so the lock) go, and stop rather than loop on it.
        letGo(session, true);
        return E.left(runnerDefect(thrown, secrets));
      }
      if (tenure.kind === 'lost') {
        letGo(session, true);
        setStatus('waiting-for-lock');
        await pause.sleep(backoff());
        continue;
      }
      await release(session);
      if (tenure.kind === 'fatal') return E.left(tenure.error);
    }
    return E.right(undefined);
  };

  const done = run()
    .catch((thrown: unknown) => E.left(runnerDefect(thrown, secrets)))
    .then((result) => {
      stopping = true;
      ended = runnerEnded(projection.name, E.isLeft(result) ? result.left : null);
      setStatus(E.isLeft(result) ? 'failed' : 'stopped');
      const answer = E.left(ended);
      for (const waiter of waiters) waiter.resolve(answer);
      waiters = [];
      return result;
    });

  return {
    name: projection.name,
    status: () => status,
    caughtUp: () => () =>
      new Promise((resolve) => {
        if (ended !== null) return resolve(E.left(ended));
        waiters.push({ after: readsStarted, resolve });
        // A runner idling between polls reads now rather than at its next poll.
        pause.wake();
      }),
    stop: async () => {
      if (!stopping) {
        stopping = true;
        signalStop();
        pause.wake();
      }
      await done;
    },
    done,
    stats: () => stats,
  };
};

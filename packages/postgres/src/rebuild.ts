import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Pool } from 'pg';
import type { EventStore, ReadModelStore } from '@message-center/core/internals';
import { alertsPgProjection } from './alerts-projection.js';
import { inboxPgProjection } from './inbox-projection.js';
import type { MigrationError } from './migration-errors.js';
import { migrate } from './migrations.js';
import type { PgProjection } from './pg-projection.js';
import { startPgProjection, type PgProjectionRunner, type PgProjectionRunnerOptions } from './projection-runner.js';
import type { RunnerEnded } from './runner-errors.js';
import { usagePgProjection } from './usage-projection.js';

export interface RebuildOptions extends Omit<PgProjectionRunnerOptions, 'projection' | 'schema'> {
  readonly pool: Pool;
  readonly store: EventStore;
  /** The new schema: created and migrated, then filled from the start of the log. */
  readonly schema: string;
  /** Default: inbox, alerts and usage, what `pgReadModelStore` reads. */
  readonly projections?: ReadonlyArray<PgProjection>;
}

export interface Rebuilt {
  readonly schema: string;
  /** The runners that filled the new schema; they keep it current until stopped. */
  readonly runners: ReadonlyArray<PgProjectionRunner>;
}

/**
 * Rebuilds the read models into a new schema while the old one serves (blue/green by schema, issue 15):
 * migrates `schema`, starts the projection runners on it from the start of the log, and answers once each
 * has caught up with what the store held when it was asked; the runners go on following the store. Point
 * the hosts at the new schema (`pgReadModelStore(pool, { schema })`, or `switchableReadModelStore`'s
 * `switchTo` in a running host), then stop the old schema's runners and `DROP SCHEMA old CASCADE`.
 * Nothing is written to the old schema; a rebuild that fails leaves it serving (drop the new one and retry).
 */
export const rebuildReadModels =
  (options: RebuildOptions): TE.TaskEither<MigrationError | RunnerEnded, Rebuilt> =>
  async () => {
    const { pool, schema, projections = [inboxPgProjection, alertsPgProjection, usagePgProjection], ...runnerOptions } = options;
    const migrated = await migrate(pool, { schema })();
    if (E.isLeft(migrated)) return migrated;
    const runners = projections.map((projection) => startPgProjection({ ...runnerOptions, pool, schema, projection }));
    for (const runner of runners) {
      const caught = await runner.caughtUp()();
      if (E.isLeft(caught)) {
        await Promise.all(runners.map((r) => r.stop()));
        return caught;
      }
    }
    return E.right({ schema, runners });
  };

/** A read-model store whose queries go to the store it was last switched to: a running host moves to a rebuilt schema without a restart. */
export const switchableReadModelStore = (initial: ReadModelStore): { readonly store: ReadModelStore; readonly switchTo: (next: ReadModelStore) => void } => {
  let current = initial;
  return {
    store: {
      inbox: (query) => current.inbox(query),
      unreadBadge: (query) => current.unreadBadge(query),
      alerts: (query) => current.alerts(query),
      usage: (query) => current.usage(query),
    },
    switchTo: (next) => {
      current = next;
    },
  };
};

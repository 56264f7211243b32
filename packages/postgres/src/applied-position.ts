import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Pool } from 'pg';
import { compareLogPositions, type LogPosition } from '@message-center/core/internals';
import { readCheckpoint } from './checkpoints.js';
import { ALERTS_PROJECTION } from './alerts-projection.js';
import { INBOX_PROJECTION } from './inbox-projection.js';
import { databaseFailure } from './migration-errors.js';
import { DEFAULT_SCHEMA } from './migrations.js';
import { poolSecrets } from './pool-secrets.js';
import type { DatabaseFailure } from './runner-errors.js';
import { USAGE_PROJECTION } from './usage-projection.js';

/**
 * The position up to which the read models answer: the least checkpoint of the projections (default: inbox,
 * alerts and usage, what `pgReadModelStore` reads), whichever instance's runner wrote it; null when one has applied
 * nothing yet. A host that tells its pages of new events (the web inbox's live stream) waits for this to
 * reach an event before it says "ask again", else the pages would ask too early.
 */
export const appliedPosition =
  (pool: Pool, options: { readonly schema?: string; readonly projections?: ReadonlyArray<string> } = {}): TE.TaskEither<DatabaseFailure, LogPosition | null> =>
  async () => {
    const schema = options.schema ?? DEFAULT_SCHEMA;
    try {
      let least: LogPosition | null = null;
      for (const projection of options.projections ?? [INBOX_PROJECTION, ALERTS_PROJECTION, USAGE_PROJECTION]) {
        const at = await readCheckpoint(pool, schema, projection);
        if (at === null) return E.right(null);
        least = least === null || compareLogPositions(at, least) < 0 ? at : least;
      }
      return E.right(least);
    } catch (cause: unknown) {
      return E.left(databaseFailure(cause, `reading the checkpoints in ${schema}`, poolSecrets(pool)));
    }
  };

import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { DomainEvent } from '../domain/events.js';
import { STREAM_PREFIX } from '../domain/streams.js';
import { emptyDirectory, foldDirectory, type Directory, type EventEnvelope } from '../read-models/directory.js';
import { makeEventDecoder, type Upcaster } from './event-codec.js';
import type { MessageCenterError } from './errors.js';
import type { EventStore } from './ports/event-store.js';
import { DEFAULT_CATCH_UP_PAGE } from './projections.js';

/**
 * What a read model does with an event type it does not know (written by a newer version of the
 * library): `fail` stops with `unknown-event-type` (the default: nothing is dropped unnoticed); `skip`
 * passes over it and counts it in `skippedUnknown`.
 */
export type UnknownEventPolicy = 'fail' | 'skip';

export interface DirectoryFeed {
  /** Reads every event appended since the last catch-up and folds it in. */
  readonly catchUp: () => TE.TaskEither<MessageCenterError, Directory>;
  readonly skippedUnknown: () => number;
}

// The same page as the read models' catch-up, for the same reason.
const PAGE = DEFAULT_CATCH_UP_PAGE;

export const createDirectoryFeed = (
  store: EventStore,
  options: { readonly unknownEvents: UnknownEventPolicy; readonly upcasters: ReadonlyArray<Upcaster> },
): DirectoryFeed => {
  const decode = makeEventDecoder(DomainEvent, options.upcasters);
  let directory = emptyDirectory;
  let skipped = 0;
  // Catch-ups run one after another: a caller never joins a read that began before its own write.
  let queue: Promise<unknown> = Promise.resolve();

  const run = async (): Promise<E.Either<MessageCenterError, Directory>> => {
    for (;;) {
      const page = await store.readAll({
        ...(directory.position === null ? {} : { after: directory.position }),
        streamPrefix: STREAM_PREFIX,
        maxCount: PAGE,
      })();
      if (E.isLeft(page)) return page;
      const batch: EventEnvelope[] = [];
      for (const recorded of page.right) {
        const decoded = decode(recorded);
        if (E.isLeft(decoded)) {
          if (decoded.left.code === 'unknown-event-type' && options.unknownEvents === 'skip') {
            skipped += 1;
            continue;
          }
          // Fold what came before, so the next catch-up resumes at the faulty event, not before it.
          directory = foldDirectory(directory, batch);
          return decoded;
        }
        batch.push({ streamId: recorded.streamId, revision: recorded.revision, position: recorded.position, event: decoded.right });
      }
      directory = foldDirectory(directory, batch);
      const last = page.right[page.right.length - 1];
      // Skipped events move the checkpoint too, so they are not read (and counted) again.
      if (last !== undefined && directory.position !== last.position) directory = { ...directory, position: last.position };
      if (page.right.length < PAGE) return E.right(directory);
    }
  };

  return {
    catchUp: () => () => {
      const next = queue.then(run);
      // A thrown bug fails this call only, not every later catch-up.
      queue = next.catch(() => undefined);
      return next;
    },
    skippedUnknown: () => skipped,
  };
};

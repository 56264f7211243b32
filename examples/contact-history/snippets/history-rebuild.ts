// Replay = incremental: read models rebuilt from scratch answer exactly as the ones kept up to date.
import * as E from 'fp-ts/lib/Either.js';
import { createMessageCenter, InboxQueryInput } from '@message-center/core';
import {
  createProjectionRunner,
  inboxPage,
  readModelsProjection,
  type ReadModels,
} from '@message-center/core/internals';
import { businessId, dana, eli, host, openSalon, run } from './salon.js';

const { mc, store, clock, later, inbound } = await openSalon();

// `mc` folds the log a little at a time: every query catches up on what was appended since the last one.
// (Alerts carry their log position, a bigint, which JSON cannot write as is.)
const json = (value: unknown): string => JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
const answers = async (m: typeof mc): Promise<string> =>
  json([
    await run(m.inbox({ businessId, viewer: dana })),
    await run(m.inbox({ businessId, viewer: eli, view: 'archived' })),
    await run(m.unreadBadge({ businessId, viewer: dana })),
    await run(m.alerts({ businessId, viewer: dana })),
    await run(m.usage({ businessId, viewer: host })),
  ]);
await answers(mc);
later(5);
await inbound('+16285550107', 'Also, do you do highlights?', 'SM-z2');
await run(mc.unarchive({ businessId, conversationId: 'cl-1004', actor: eli }));
const incremental = await answers(mc);

// A second facade over the same store starts empty and replays the whole log in one go on its first query.
const fresh = createMessageCenter({ store, clock });
console.log(`fresh facade answers the same: ${(await answers(fresh)) === incremental}`);

// A host that keeps its own runner can rebuild it at any time (e.g. after deploying a new fold).
const runner = createProjectionRunner(store, readModelsProjection());
const query = InboxQueryInput.decode({ businessId, viewer: dana });
if (E.isLeft(query)) throw new Error('bad query');
const inboxOf = (models: ReadModels): string => json(inboxPage(models.inbox, query.right));
const caughtUp = inboxOf(await run(runner.catchUp()));
const rebuilt = inboxOf(await run(runner.rebuild()));
console.log(`rebuilt runner answers the same: ${rebuilt === caughtUp}`);

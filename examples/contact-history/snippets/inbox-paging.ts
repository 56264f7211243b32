// Cursor paging (R1): pass each page's nextCursor back until it is null.
import type { InboxPage } from '@message-center/core';
import { businessId, dana, openSalon, run } from './salon.js';

const { mc } = await openSalon();
let cursor: string | null = null;
let n = 0;
do {
  const page: InboxPage = await run(mc.inbox({ businessId, viewer: dana, limit: 2, ...(cursor === null ? {} : { cursor }) }));
  n += 1;
  console.log(`page ${n}: ${page.rows.map((r) => `${r.client?.name ?? r.phone} @ ${r.lastActivityAt.slice(11, 16)}${r.pinned ? ' (pinned)' : ''}`).join(', ')}`);
  cursor = page.nextCursor;
} while (cursor !== null);

// Views (R1) and folders per viewer (V4–V7): pinned rows only in the plain "all" view (V9).
import { INBOX_VIEWS, type InboxRow } from '@message-center/core';
import { businessId, dana, eli, host, openSalon, run } from './salon.js';

const { mc } = await openSalon();
const show = (row: InboxRow): string => `${row.client?.name ?? row.phone} (${row.folder}${row.unreadCount > 0 ? `, ${row.unreadCount} unread` : ''}${row.pinned ? ', pinned' : ''})`;

for (const view of INBOX_VIEWS) {
  const page = await run(mc.inbox({ businessId, viewer: dana, view }));
  console.log(`${view.padEnd(8)} ${page.rows.map(show).join(' · ') || '(none)'}`);
}

// With "individual read/unread status" on (B3), each staff member sees their own folders.
await run(mc.setIndividualReadStatus({ businessId, actor: host, individual: true }));
await run(mc.markRead({ businessId, conversationId: 'cl-1001', actor: eli }));
for (const viewer of [dana, eli]) {
  const page = await run(mc.inbox({ businessId, viewer, view: 'unread' }));
  console.log(`${viewer.staffId}'s unread: ${page.rows.map(show).join(' · ') || '(none)'}`);
}

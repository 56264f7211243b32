// The unread badge (R4) and alerts (R7), and what muting (V8) does to both.
import type { Alert } from '@message-center/core';
import { businessId, dana, openSalon, run } from './salon.js';

const pushed: Alert[] = [];
const { mc, later, inbound } = await openSalon({ onAlert: (alert) => pushed.push(alert) });
const describe = (a: Alert): string => `${a.client?.name ?? a.from}: "${a.preview}"`;

// `onAlert` fires as the read models catch up: on the first query here (or at once with startLive).
console.log(`pushed before any query: ${pushed.length}`);
console.log(`badge for Dana: ${await run(mc.unreadBadge({ businessId, viewer: dana }))}`);
console.log(`pushed: ${pushed.map(describe).join(' · ')}`);

// Polling instead: every retained alert, oldest first, then only the ones after the cursor.
const first = await run(mc.alerts({ businessId, viewer: dana, limit: 2 }));
console.log(`alerts page 1: ${first.alerts.map(describe).join(' · ')}`);
const second = await run(mc.alerts({ businessId, viewer: dana, ...(first.cursor === null ? {} : { after: first.cursor }) }));
console.log(`alerts page 2: ${second.alerts.map(describe).join(' · ')}`);

// Muted: still unread in the inbox, but no badge and no alert for new messages.
await run(mc.mute({ businessId, conversationId: 'cl-1001', actor: dana }));
later(5);
await inbound('+14155552671', 'Oh, and can we add a trim?', 'SM-a2');
const ana = await run(mc.inbox({ businessId, viewer: dana, search: 'ana' }));
console.log(`Ana muted: ${ana.rows.map((r) => `${r.folder}, ${r.unreadCount} unread`).join('')}; badge ${await run(mc.unreadBadge({ businessId, viewer: dana }))}`);
const after = second.cursor ?? first.cursor;
const fresh = await run(mc.alerts({ businessId, viewer: dana, ...(after === null ? {} : { after }) }));
console.log(`new alerts since then: ${fresh.alerts.length}; pushed in all: ${pushed.length}`);

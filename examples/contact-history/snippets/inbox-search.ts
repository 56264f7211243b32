// Search (R2) and filters (R3), alone and combined; pinned rows never show under either (V9).
import type { InboxQueryInput } from '@message-center/core';
import { businessId, dana, openSalon, run } from './salon.js';

const { mc } = await openSalon();
const show = async (label: string, query: Omit<InboxQueryInput, 'businessId' | 'viewer'>): Promise<void> => {
  const page = await run(mc.inbox({ businessId, viewer: dana, ...query }));
  console.log(`${label.padEnd(26)} → ${page.rows.map((r) => r.client?.name ?? r.phone).join(', ') || '(none)'}`);
};

for (const search of ['zoe', 'ØRST', '(415) 555-2671', '4155552671', '555 0107', 'ana.lima@ex', 'A-1003', 'cl-1001', 'daughter trim', 'okafor'])
  await show(`search ${JSON.stringify(search)}`, { search });
// "all" leaves archived conversations out: search the archive with its view.
await show('search "chlo" in archived', { view: 'archived', search: 'chlo' });

await show('guests', { filters: { clientTypes: ['guest'] } });
await show('colour or nails, archived', { view: 'archived', filters: { groups: ['colour', 'nails'] } });
await show('colour and Downtown', { filters: { groups: ['colour'], homeLocations: ['Downtown'] } });
// Half-open: from 09:15 inclusive to 09:40 exclusive.
await show('active 09:15–09:40', { filters: { lastActivityFrom: '2026-11-23T09:15:00.000Z', lastActivityTo: '2026-11-23T09:40:00.000Z' } });
await show('"see" among members', { search: 'see', filters: { clientTypes: ['member'] } });

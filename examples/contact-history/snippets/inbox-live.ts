// Live read models: startLive follows the log, so alerts are pushed without anyone querying.
import type { Alert } from '@message-center/core';
import { businessId, dana, openSalon, run } from './salon.js';

const pushed: Alert[] = [];
let wake = (): void => undefined;
const { mc, later, inbound } = await openSalon({
  onAlert: (alert) => {
    pushed.push(alert);
    wake();
  },
});
/** Resolves once `n` alerts have been pushed. */
const alerts = (n: number): Promise<void> =>
  new Promise((resolve) => {
    const check = (): void => (pushed.length >= n ? resolve() : void (wake = check));
    check();
  });

mc.startLive((error) => console.error(`live read models stopped: ${error.code}: ${error.message}`));
// The subscription catches up on the log first: the morning's four alerts are pushed now.
await alerts(4);
later(5);
await inbound('+16465550142', 'Is 2pm still free?', 'SM-b2');
await alerts(5);
for (const a of pushed) console.log(`${a.at.slice(11, 16)} ${a.client?.name ?? a.from}: "${a.preview}"`);
// Queries still catch up first, so they never answer from behind a command that has returned.
console.log(`badge for Dana: ${await run(mc.unreadBadge({ businessId, viewer: dana }))}`);
await mc.stopLive();

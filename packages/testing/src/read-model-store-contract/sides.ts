/** What one side (a facade on some read-model store) answers, in a form two sides can be compared by. */
import * as E from 'fp-ts/lib/Either.js';
import type { AlertsPage, BusinessId, MessageCenter, PeriodUsage, StaffId } from '@message-center/core';
import { staffOf } from './histories.js';
import { walk, type Walk } from './inbox-walk.js';
import { PAGE, type InboxShape } from './queries.js';

export const inboxWalk = (mc: MessageCenter, businessId: BusinessId, staffId: StaffId, shape: InboxShape): Promise<Walk> =>
  walk((cursor) => mc.inbox({ businessId, viewer: staffOf(businessId, staffId), limit: PAGE, ...shape, ...(cursor === undefined ? {} : { cursor }) })());

export const badgeOf = async (mc: MessageCenter, businessId: BusinessId, staffId: StaffId): Promise<number | string> => {
  const answer = await mc.unreadBadge({ businessId, viewer: staffOf(businessId, staffId) })();
  return E.isRight(answer) ? answer.right : answer.left.code;
};

export const usageOf = async (mc: MessageCenter, businessId: BusinessId, period: string): Promise<PeriodUsage | string> => {
  const answer = await mc.usage({ businessId, viewer: { kind: 'host', businessId }, period })();
  return E.isRight(answer) ? answer.right : answer.left.code;
};

/** Every alert of a business, a page of `limit` at a time from the start (or the refusal's code). */
export const alertsOf = async (mc: MessageCenter, businessId: BusinessId, staffId: StaffId, limit: number): Promise<ReadonlyArray<AlertsPage> | string> => {
  const pages: AlertsPage[] = [];
  let after: string | undefined;
  for (;;) {
    const answer = await mc.alerts({ businessId, viewer: staffOf(businessId, staffId), limit, ...(after === undefined ? {} : { after }) })();
    if (E.isLeft(answer)) return answer.left.code;
    pages.push(answer.right);
    if (answer.right.alerts.length === 0 || answer.right.cursor === null) return pages;
    after = answer.right.cursor;
    if (pages.length > 1_000) throw new Error('the alert cursors never end');
  }
};

/** The rows of a walk, or none when it was refused. */
export const rowsOf = (w: Walk) => (typeof w === 'string' ? [] : w.flatMap((page) => page.rows));

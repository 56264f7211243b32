/**
 * V10 — the delivery status of an outbound message, moved forward by Twilio's status callbacks.
 *
 * Callbacks arrive at least once and in any order, so the status only ever moves up the ranks:
 *
 *   pending 0 < accepted, scheduled 1 < queued 2 < sending 3 < sent 4
 *     < delivered, undelivered, failed, canceled 5 (final) < read 6
 *
 * A status of lower or equal rank never replaces the current one: a late `sent` never overwrites
 * `delivered`, and of two different finals the first one to arrive wins. The single exception to "final is
 * final" is `read` (a read receipt), which may follow `delivered` — and, arriving early, any non-final
 * status — but never a failure (`undelivered`, `failed`, `canceled`): a read receipt cannot make a failed
 * message delivered, and nothing replaces `read`.
 *
 * What this gives (and the tests check): the result of a sequence of callbacks is the same as if the
 * non-final ones (rank < 5) had arrived in rank order, followed by the terminal ones (final or `read`) in
 * their actual arrival order. So it depends only on which statuses arrived, on which terminal one arrived
 * first, and — only when nothing beyond rank 1 arrived — on whether `accepted` or `scheduled` came first.
 */

/** Twilio's outbound message statuses, plus `pending`: recorded by us but not yet handed to the provider. */
export const DELIVERY_STATUSES = [
  'pending',
  'accepted',
  'scheduled',
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'canceled',
  'read',
] as const;

export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const RANK: Readonly<Record<DeliveryStatus, number>> = {
  pending: 0,
  accepted: 1,
  scheduled: 1,
  queued: 2,
  sending: 3,
  sent: 4,
  delivered: 5,
  undelivered: 5,
  failed: 5,
  canceled: 5,
  read: 6,
};

const FINAL_RANK = 5;

/** Exact, lower-case match as Twilio sends `MessageStatus`; other statuses (inbound ones, new ones) are not ours. */
export const isDeliveryStatus = (s: string): s is DeliveryStatus => DELIVERY_STATUSES.some((status) => status === s);

export const deliveryRank = (s: DeliveryStatus): number => RANK[s];

/** The status after a callback reporting `incoming` for a message whose status is `current`. */
export const nextDeliveryStatus = (current: DeliveryStatus, incoming: DeliveryStatus): DeliveryStatus => {
  // Once final, only delivered → read moves on; this also keeps read from overriding a failure.
  if (RANK[current] >= FINAL_RANK) return current === 'delivered' && incoming === 'read' ? incoming : current;
  return RANK[incoming] > RANK[current] ? incoming : current;
};

/**
 * V6–V7: how a read mark moves. The conversation decider (its state) and the inbox read model (its rows)
 * both move their marks with these, so a folder and an unread count (`folder.ts`) come out the same
 * wherever they are shown. Each returns a new, frozen mark and never changes the one it is given.
 */
import type { StaffId } from '../values/ids.js';
import type { ReadMark } from '../conversation/state.js';

/** V6: opening the conversation reads it up to `upToSeq` (a read position never moves back) and ends a mark-unread. */
export const readUpTo = (mark: ReadMark, upToSeq: number): ReadMark => Object.freeze({ readUpToSeq: Math.max(mark.readUpToSeq, upToSeq), markedUnread: false });

/** V6: marked unread, the conversation shows as new inbound again; the read position stays. */
export const markedUnread = (mark: ReadMark): ReadMark => Object.freeze({ readUpToSeq: mark.readUpToSeq, markedUnread: true });

/** V6: an outbound message answers the conversation, so a mark-unread reminder is done. The same mark when there was none. */
export const answered = (mark: ReadMark): ReadMark => (mark.markedUnread ? Object.freeze({ readUpToSeq: mark.readUpToSeq, markedUnread: false }) : mark);

/** V6 for every staff member's mark; the same map when none was marked unread (an unchanged row is not reindexed). */
export const allAnswered = (marks: ReadonlyMap<StaffId, ReadMark>): ReadonlyMap<StaffId, ReadMark> => {
  let marked = false;
  for (const mark of marks.values()) if (mark.markedUnread) marked = true;
  if (!marked) return marks;
  const next = new Map<StaffId, ReadMark>();
  for (const [staffId, mark] of marks) next.set(staffId, answered(mark));
  return next;
};

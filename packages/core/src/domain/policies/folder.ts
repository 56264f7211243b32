/**
 * V4–V7: which folder a conversation is in for one viewer, and how many unread messages it shows them.
 * Pure functions of the conversation state, shared by the decider's tests, the facade and the inbox
 * read model, so the rule exists once.
 */
import type { StaffId } from '../values/ids.js';
import { UNREAD_MARK, type ConversationState, type ReadMark } from '../conversation/state.js';

export type Folder = 'unread' | 'read' | 'replied' | 'archived';
export const FOLDERS: ReadonlyArray<Folder> = ['unread', 'read', 'replied', 'archived'];

/** The parts of a conversation's state that decide its folder. */
export type FolderFacts = Pick<ConversationState, 'lastSeq' | 'lastOutboundSeq' | 'archived' | 'sharedRead'> & {
  readonly staffRead: ReadonlyMap<StaffId, ReadMark>;
};

/**
 * V7: with B3 off (`individual` false) every viewer sees the shared status, the last read or mark-unread
 * by anyone; with B3 on each staff member sees their own.
 */
export const readMarkFor = (facts: FolderFacts, viewer: StaffId, individual: boolean): ReadMark =>
  individual ? (facts.staffRead.get(viewer) ?? UNREAD_MARK) : facts.sharedRead;

/**
 * V6: every message after the last outbound one is an inbound one (one more outbound would be the last),
 * so the client's responses since then are the sequence numbers after it: no list needs keeping. Never
 * negative, even for an odd log whose numbers go back (the decider numbers messages one by one).
 */
export const inboundSinceLastOutbound = (facts: Pick<FolderFacts, 'lastSeq' | 'lastOutboundSeq'>): number => Math.max(0, facts.lastSeq - facts.lastOutboundSeq);

/**
 * V6: inbound messages after both the last outbound and the read position of `mark`. Marked unread, it
 * shows every client response since the last outbound message (which may be 0).
 */
export const unreadCountForMark = (facts: FolderFacts, mark: ReadMark): number =>
  mark.markedUnread ? inboundSinceLastOutbound(facts) : Math.max(0, facts.lastSeq - Math.max(facts.lastOutboundSeq, mark.readUpToSeq));

/** V6 for one viewer (V7 picks their mark). */
export const unreadCountFor = (facts: FolderFacts, viewer: StaffId, individual: boolean): number =>
  unreadCountForMark(facts, readMarkFor(facts, viewer, individual));

/**
 * V4 for a read mark: archived if archived; else unread if unread inbound or marked unread; else replied
 * if the last message is outbound; else read. (Indexes that keep one set per mark use this directly.)
 */
export const folderForMark = (facts: FolderFacts, mark: ReadMark): Folder => {
  if (facts.archived) return 'archived';
  if (mark.markedUnread || unreadCountForMark(facts, mark) > 0) return 'unread';
  if (facts.lastSeq > 0 && facts.lastOutboundSeq === facts.lastSeq) return 'replied';
  return 'read';
};

/** V4 for one viewer (V7 picks their mark). */
export const folderFor = (facts: FolderFacts, viewer: StaffId, individual: boolean): Folder =>
  folderForMark(facts, readMarkFor(facts, viewer, individual));

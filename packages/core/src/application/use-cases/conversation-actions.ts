/**
 * V5–V9: what staff (and automations, where B0 lets them) do to a conversation: read and mark unread,
 * archive, mute, pin and their opposites. One use case for all of them: B0 first, then the conversation
 * decides the command and records it (nothing when it is already so); the answer is only success.
 */
import * as TE from './task-either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { ConversationCommand } from '../../domain/conversation/commands.js';
import type { ConversationId } from '../../domain/conversation/events.js';
import { conversationAddress } from '../../domain/streams.js';
import type { BusinessId } from '../../domain/values/ids.js';
import * as In from '../facade-inputs.js';
import type { Result } from '../message-center-api.js';
import { execute, type Deps } from './deps.js';
import { command } from './use-case.js';

type ActionDeps = Pick<Deps, 'store' | 'ids' | 'clock' | 'maxAttempts' | 'aggregates'>;

const recordAction = (deps: ActionDeps, businessId: BusinessId, conversationId: ConversationId, decision: () => ConversationCommand): Result<void> =>
  pipe(
    execute(deps, deps.aggregates.conversation, conversationAddress(businessId, conversationId), () => TE.right(decision())),
    TE.map(() => undefined),
  );

/** V6–V7: a staff member's own reading (an automation reads nothing). */
export const readAction = (type: 'MarkRead' | 'MarkUnread') => (deps: ActionDeps) =>
  command(type, In.StaffConversationActionInput, (i) =>
    recordAction(deps, i.businessId, i.conversationId, () => ({ type, businessId: i.businessId, conversationId: i.conversationId, actor: i.actor, at: deps.clock.now() })),
  );

/** V5, V8, V9: switches staff or an automation may flip. */
export const toggle = (type: 'Archive' | 'Unarchive' | 'Mute' | 'Unmute' | 'Pin' | 'Unpin') => (deps: ActionDeps) =>
  command(type, In.ConversationActionInput, (i) =>
    recordAction(deps, i.businessId, i.conversationId, () => ({ type, businessId: i.businessId, conversationId: i.conversationId, actor: i.actor, at: deps.clock.now() })),
  );

import * as E from 'fp-ts/lib/Either.js';
import { SEND_PERMISSION, type Actor, type BusinessActor } from './actor.js';
import { forbidden, type DomainError } from './errors.js';
import type { BusinessId } from './values/ids.js';

/**
 * B0: the permissions a staff member's role may hold. Seed 000: staff need "Send Email/SMS to clients"
 * (`send-email-sms`) to perform every action of the Message Center article: send, search, filter, view,
 * mute/unmute, mark read/unread, archive, pin/unpin and the Display Statuses setting. The seeds leave the
 * business set-up and the client records to the host; staff may do them with the two permissions below.
 */
export const PERMISSIONS = {
  sendEmailSms: SEND_PERMISSION,
  manageMessageCenter: 'manage-message-center',
  manageClients: 'manage-clients',
} as const;
export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];

/** Who may do an operation: the permission staff need (null: staff may not), and whether an automation or the host may. */
export interface AuthorizationRule {
  readonly staff: Permission | null;
  readonly automation: boolean;
  readonly host: boolean;
}

const SEND = PERMISSIONS.sendEmailSms;
const MANAGE = PERMISSIONS.manageMessageCenter;
const onlyStaff = (permission: Permission): AuthorizationRule => ({ staff: permission, automation: false, host: false });
const staffOrAutomation: AuthorizationRule = { staff: SEND, automation: true, host: false };
const staffOrHost = (permission: Permission): AuthorizationRule => ({ staff: permission, automation: false, host: true });

/**
 * B0: every command and query the facade offers to an actor, and who may call it. The table in
 * docs/authorization.md is this one. Inbound messages and delivery callbacks come from the provider's signed
 * webhook and `dispatchPending` from the host's scheduler; they act for no one and are not in the table.
 */
export const AUTHORIZATION = {
  enableMessageCenter: staffOrHost(MANAGE),
  changeNumber: staffOrHost(MANAGE),
  changePlan: staffOrHost(MANAGE),
  suggestNumbers: staffOrHost(MANAGE),
  setIndividualReadStatus: staffOrHost(SEND),
  recordClient: staffOrHost(PERMISSIONS.manageClients),
  usage: staffOrHost(MANAGE),
  sendMessage: staffOrAutomation,
  archive: staffOrAutomation,
  unarchive: staffOrAutomation,
  mute: staffOrAutomation,
  unmute: staffOrAutomation,
  pin: staffOrAutomation,
  unpin: staffOrAutomation,
  markRead: onlyStaff(SEND),
  markUnread: onlyStaff(SEND),
  conversation: onlyStaff(SEND),
  inbox: onlyStaff(SEND),
  findClients: onlyStaff(SEND),
  unreadBadge: onlyStaff(SEND),
  alerts: onlyStaff(SEND),
  contactHistory: onlyStaff(SEND),
} as const satisfies Readonly<Record<string, AuthorizationRule>>;
export type Operation = keyof typeof AUTHORIZATION;

/** The operation of the table each command is (the deciders and the facade ask with it). */
export const COMMAND_OPERATION = {
  EnableMessageCenter: 'enableMessageCenter',
  ChangeNumber: 'changeNumber',
  SetIndividualReadStatus: 'setIndividualReadStatus',
  ChangePlan: 'changePlan',
  RecordNumberSuggestions: 'suggestNumbers',
  RecordClient: 'recordClient',
  SendMessage: 'sendMessage',
  Archive: 'archive',
  Unarchive: 'unarchive',
  Mute: 'mute',
  Unmute: 'unmute',
  Pin: 'pin',
  Unpin: 'unpin',
  MarkRead: 'markRead',
  MarkUnread: 'markUnread',
} as const satisfies Readonly<Record<string, Operation>>;

const who = (actor: Actor | BusinessActor): string =>
  actor.kind === 'staff' ? `staff ${actor.staffId}` : actor.kind === 'automation' ? `automation ${actor.name}` : 'the host';

/**
 * B0: may this actor do this operation for this business? Acting for another business is refused first, so
 * no business ever reaches another's data; then the rule of the operation. A refusal is `forbidden`.
 */
export const authorize = <A extends Actor | BusinessActor>(operation: Operation, actor: A, businessId: BusinessId): E.Either<DomainError, A> => {
  if (actor.businessId !== businessId) return E.left(forbidden(`${who(actor)} does not belong to business ${businessId}`));
  const rule: AuthorizationRule = AUTHORIZATION[operation];
  switch (actor.kind) {
    case 'staff':
      if (rule.staff === null) return E.left(forbidden(`staff may not ${operation}`));
      return actor.permissions.includes(rule.staff)
        ? E.right(actor)
        : E.left(forbidden(`staff ${actor.staffId} lacks the permission ${rule.staff} needed to ${operation}`));
    case 'automation':
      return rule.automation ? E.right(actor) : E.left(forbidden(`an automation may not ${operation}`));
    case 'host':
      return rule.host ? E.right(actor) : E.left(forbidden(`the host may not ${operation} (it acts for no staff member)`));
  }
};

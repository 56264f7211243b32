import * as t from 'io-ts';
import { BusinessId, StaffId } from './values/ids.js';

/** V1: the permission a staff member needs to send SMS. */
export const SEND_PERMISSION = 'send-email-sms';

/** Who asks. The host application authenticates staff and passes their business and permissions. */
export const StaffActor = t.readonly(
  t.type({
    kind: t.literal('staff'),
    businessId: BusinessId,
    staffId: StaffId,
    permissions: t.readonlyArray(t.string),
  }),
  'StaffActor',
);
export type StaffActor = t.TypeOf<typeof StaffActor>;

/** Automated notifications and marketing texts (V1): outbound too, and clients may answer them. */
export const AutomationActor = t.readonly(
  t.type({ kind: t.literal('automation'), businessId: BusinessId, name: t.string }),
  'AutomationActor',
);
export type AutomationActor = t.TypeOf<typeof AutomationActor>;

export const Actor = t.union([StaffActor, AutomationActor], 'Actor');
export type Actor = t.TypeOf<typeof Actor>;

/**
 * B0: the host application acting for the business itself (its back end syncing profiles or settings, not a
 * person). It may set up the business and record clients; it never writes to a conversation.
 */
export const HostActor = t.readonly(t.type({ kind: t.literal('host'), businessId: BusinessId }), 'HostActor');
export type HostActor = t.TypeOf<typeof HostActor>;

/** Who may change the business's set-up or its clients: staff with the right permission, or the host. */
export const BusinessActor = t.union([StaffActor, HostActor], 'BusinessActor');
export type BusinessActor = t.TypeOf<typeof BusinessActor>;

/** Who reads the plan's usage: staff with the right permission, or the host. */
export const UsageViewer = BusinessActor;
export type UsageViewer = BusinessActor;

/** Who wrote an outbound message or changed a conversation, as recorded in events. */
export const Author = t.union(
  [
    t.readonly(t.type({ kind: t.literal('staff'), staffId: StaffId })),
    t.readonly(t.type({ kind: t.literal('automation'), name: t.string })),
  ],
  'Author',
);
export type Author = t.TypeOf<typeof Author>;

export const authorOf = (actor: Actor): Author =>
  actor.kind === 'staff' ? { kind: 'staff', staffId: actor.staffId } : { kind: 'automation', name: actor.name };

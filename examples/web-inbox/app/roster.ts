/**
 * The demo salon: its staff (two with the "Send Email/SMS to clients" permission, one without) and its
 * clients. A real host authenticates its staff and passes their roles; this demo lets the page pick one.
 */
export const BUSINESS_ID = 'salon-42';

const staff = (staffId: string, name: string, permissions: ReadonlyArray<string>) =>
  ({ actor: { kind: 'staff', businessId: BUSINESS_ID, staffId, permissions }, name }) as const;

export const STAFF = [
  staff('dana', 'Dana (stylist)', ['send-email-sms']),
  staff('eli', 'Eli (stylist)', ['send-email-sms']),
  staff('front-desk', 'Front desk (no SMS permission)', []),
] as const;

export interface StaffMember {
  readonly actor: { readonly kind: 'staff'; readonly businessId: string; readonly staffId: string; readonly permissions: ReadonlyArray<string> };
  readonly name: string;
}

/** The staff member a request acts as, or null for an id not on the roster. */
export const staffMember = (staffId: string | null): StaffMember | null => STAFF.find((s) => s.actor.staffId === staffId) ?? null;

export interface DemoClient {
  readonly clientId: string;
  readonly uid: string;
  readonly name: string;
  readonly email: string;
  readonly cellPhone: string;
  readonly clientType: string;
  readonly groups: ReadonlyArray<string>;
  readonly homeLocation: string;
}

export const CLIENTS: ReadonlyArray<DemoClient> = [
  { clientId: 'ana', uid: 'C-1001', name: 'Ana Lima', email: 'ana.lima@example.com', cellPhone: '(415) 555-2671', clientType: 'member', groups: ['colour'], homeLocation: 'Downtown' },
  { clientId: 'ben', uid: 'C-1002', name: 'Ben Okafor', email: 'ben@example.org', cellPhone: '646.555.0142', clientType: 'member', groups: ['cuts'], homeLocation: 'Uptown' },
  { clientId: 'chloe', uid: 'C-1003', name: 'Chloé Martin', email: 'chloe.martin@example.fr', cellPhone: '+44 7400 123456', clientType: 'guest', groups: ['colour', 'nails'], homeLocation: 'Downtown' },
  { clientId: 'dev', uid: 'C-1004', name: 'Dev Patel', email: 'dev.patel@example.com', cellPhone: '212-555-0199', clientType: 'guest', groups: ['cuts'], homeLocation: 'Uptown' },
  { clientId: 'zoe', uid: 'C-1005', name: 'Zoë Ørsted', email: 'zoe@example.dk', cellPhone: '+1 305 555 0123', clientType: 'member', groups: ['nails'], homeLocation: 'Harbour' },
];

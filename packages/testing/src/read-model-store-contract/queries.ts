/**
 * The inbox queries the contract asks every side, for every business and staff member of a history: each
 * view, filters alone and together with a view, searches by name, phone (several formattings), e-mail-like
 * words and message words, all walked through small pages so the cursors are exercised.
 */
import type { BusinessId, InboxView, StaffId } from '@message-center/core';
import { BUSINESSES, NEVER_ENABLED, STAFF } from './histories.js';

export interface InboxShape {
  readonly view?: InboxView;
  readonly search?: string;
  readonly filters?: { readonly clientTypes?: ReadonlyArray<string>; readonly groups?: ReadonlyArray<string>; readonly homeLocations?: ReadonlyArray<string> };
}

const VIEWS: ReadonlyArray<InboxView> = ['all', 'unread', 'read', 'replied', 'archived'];

export const SHAPES: ReadonlyArray<InboxShape> = [
  ...VIEWS.map((view) => ({ view })),
  { filters: { clientTypes: ['member'] } },
  { filters: { groups: ['vip', 'pilates'], homeLocations: ['Uptown'] } },
  { view: 'unread', filters: { groups: ['yoga'] } },
  { search: 'client 1' },
  { search: '(415) 555-2671' },
  { search: '2671' },
  { search: 'merci bea' },
  { view: 'replied', search: 'cli' },
];

/** Formattings of a US number that must all find it (R2): E.164, national, dotted, the last four digits. */
export const phoneFormattings = (e164: string): ReadonlyArray<string> => {
  const national = e164.slice(2);
  return [e164, `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`, `${national.slice(0, 3)}.${national.slice(3, 6)}.${national.slice(6)}`, national.slice(6)];
};

/** Every business a history may touch, the one never enabled included. */
export const EVERY_BUSINESS: ReadonlyArray<BusinessId> = [...BUSINESSES, NEVER_ENABLED];
export const EVERY_STAFF: ReadonlyArray<StaffId> = STAFF;
/** Rows per page: small, so that most walks take several pages. */
export const PAGE = 2;

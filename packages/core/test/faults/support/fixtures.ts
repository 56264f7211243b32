/**
 * Realistic inputs for the fault tests: a US business set up by its host, staff with `send-email-sms`
 * (docs/authorization.md), E.164 numbers libphonenumber accepts as cell phones, Twilio-like sids.
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  BusinessId,
  ClientId,
  E164,
  MessageId,
  SEND_PERMISSION,
  StaffId,
  type HostActor,
  type MessageCenter,
  type MessageCenterError,
  type StaffActor,
} from '@message-center/core';
import type * as TE from 'fp-ts/lib/TaskEither.js';

const must = <A>(is: (u: unknown) => u is A, value: unknown): A => {
  if (!is(value)) throw new RangeError(`fixture value rejected by its codec: ${JSON.stringify(value)}`);
  return value;
};

export const BUSINESS = must(BusinessId.is, 'acme-dental');
export const HOST: HostActor = { kind: 'host', businessId: BUSINESS };
export const STAFF: StaffActor = { kind: 'staff', businessId: BUSINESS, staffId: must(StaffId.is, 'front-desk'), permissions: [SEND_PERMISSION] };

/** Numbers the business may own (B1), in the order `changeNumber` moves through them. */
export const BUSINESS_NUMBERS: ReadonlyArray<E164> = ['+12015550123', '+12015550124', '+12015550125', '+12015550126'].map((n) => must(E164.is, n));
/** Clients' cell phones. */
export const PHONES: ReadonlyArray<E164> = [
  '+14155552671', '+14155552672', '+14155552673', '+14155552674', '+14155552675', '+14155552676', '+14155552677', '+14155552678', '+14155552679',
].map((n) => must(E164.is, n));

export const at = <A>(list: ReadonlyArray<A>, i: number): A => {
  const value = list[i];
  if (value === undefined) throw new RangeError(`no fixture #${i}`);
  return value;
};

export const clientId = (id: string): ClientId => must(ClientId.is, id);
export const messageId = (id: string): MessageId => must(MessageId.is, id);

export const ok = async <A>(label: string, task: TE.TaskEither<MessageCenterError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${label}: expected success, got ${result.left.code}: ${result.left.message}`);
  return result.right;
};

export interface SetUpOptions {
  readonly number?: E164;
  readonly messagesPerPeriod?: number;
  readonly clients?: ReadonlyArray<{ readonly id: string; readonly name: string; readonly phone: E164 }>;
}

/** B1 and C1 by the host: the business with its number and plan, and its clients. */
export const setUpBusiness = async (mc: MessageCenter, options: SetUpOptions = {}): Promise<void> => {
  await ok(
    'enableMessageCenter',
    mc.enableMessageCenter({
      businessId: BUSINESS,
      actor: HOST,
      country: 'US',
      number: options.number ?? at(BUSINESS_NUMBERS, 0),
      allotment: { messagesPerPeriod: options.messagesPerPeriod ?? 1_000_000, overage: 'refuse' },
    }),
  );
  for (const c of options.clients ?? []) await recordClient(mc, c.id, c.name, c.phone);
};

export const recordClient = (mc: MessageCenter, id: string, name: string, phone: E164) =>
  ok(`recordClient ${id}`, mc.recordClient({ businessId: BUSINESS, actor: HOST, clientId: id, uid: `U-${id}`, name, cellPhone: phone }));

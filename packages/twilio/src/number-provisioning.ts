import twilio from 'twilio';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import {
  E164,
  type AccountNumber,
  type NumberProvisioning,
  type ProvisioningError as PortError,
  type SuggestedNumber,
  type SuggestNumbersQuery,
} from '@message-center/core';
import { MAX_TIMER_MS, withDeadline } from './deadline.js';
import { makeRedactor } from './redact.js';
import {
  buyOptionProblems,
  createTwilioProvisioning,
  type AvailableNumber,
  type ProvisioningError,
  type TwilioNumbersClient,
} from './provisioning.js';

/** How long one Twilio call of the number provisioning may take by default. */
export const DEFAULT_PROVISIONING_TIMEOUT_MS = 15_000;

export interface TwilioNumberProvisioningOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /**
   * The inbound SMS webhook a bought number is pointed at (the `…/twilio/sms` route of the webhook
   * handler), an absolute http(s) URL: Twilio posts the number's inbound SMS there from the purchase on.
   */
  readonly smsUrl: string;
  /** The bought number's own `StatusCallback` (voice call status; SMS delivery status is per message). */
  readonly statusCallbackUrl?: string;
  /** An Address (`AD…`) for numbers that require one (AU, GB and others). */
  readonly addressSid?: string;
  /** A regulatory Bundle (`BU…`) for numbers that require one (AU, GB and others). */
  readonly bundleSid?: string;
  /**
   * The longest one Twilio call may take (default 15 000 ms); a Twilio that has not answered by then is
   * `provisioning-unavailable`. `acquire` makes two calls (the look-up, then the purchase), each with this
   * deadline. A purchase that timed out may still complete: acquiring again looks the number up first.
   */
  readonly timeoutMs?: number;
  /** A preconfigured client (tests point one at a loopback stub); by default one is built from the credentials. */
  readonly client?: TwilioNumbersClient;
}

// B1: a business in these countries may enable the Message Center with a GB number only, so its local
// suggestions are GB numbers.
const GB_NUMBER_COUNTRIES: ReadonlySet<string> = new Set(['IE', 'IM', 'JE', 'GG']);

const searchCountry = (businessCountry: string): string => (GB_NUMBER_COUNTRIES.has(businessCountry) ? 'GB' : businessCountry);

/**
 * Rate limits, 5xx, the network, a timeout: trying again later may work. Refused credentials too: nothing is
 * wrong with the number, and the same call works once the account's credentials are fixed (a token being
 * rotated). Everything else is Twilio (or this adapter) refusing the request: the number was taken, needs
 * an Address or a Bundle, the country has no local numbers here, …
 */
const toPortError =
  (redact: (text: string) => string) =>
  (error: ProvisioningError): PortError => {
    const message = redact(error.message);
    switch (error.code) {
      case 'unavailable':
      case 'authentication-failed':
        return { code: 'provisioning-unavailable', message };
      default:
        return { code: 'provisioning-refused', message };
    }
  };

/** An available number as a suggestion: only one that can send and receive SMS and is a valid E.164 number. */
const toSuggestion = (n: AvailableNumber): ReadonlyArray<SuggestedNumber> => {
  const number = n.phoneNumber;
  return n.capabilities.sms && E164.is(number) ? [{ number, locality: n.locality, region: n.region }] : [];
};

/**
 * The core's `NumberProvisioning` on Twilio (issue 13, seed 002: "You must select one of the numbers suggested
 * by the system"). `suggest` searches the account's available local SMS-capable numbers (`AvailablePhoneNumbers`),
 * `lookUp` finds a number among the account's own (`IncomingPhoneNumbers`), and `acquire` buys a number with its
 * SMS webhook set to `smsUrl`, unless the account already holds it. Nothing is retried here; the auth token is in
 * no error. Throws a `RangeError` at creation when an option is malformed (so that no enable fails on it later).
 */
export const createTwilioNumberProvisioning = (options: TwilioNumberProvisioningOptions): NumberProvisioning => {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVISIONING_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMER_MS) {
    throw new RangeError(`timeoutMs must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, got ${timeoutMs}`);
  }
  const purchase = {
    smsUrl: options.smsUrl,
    ...(options.statusCallbackUrl === undefined ? {} : { statusCallbackUrl: options.statusCallbackUrl }),
    ...(options.addressSid === undefined ? {} : { addressSid: options.addressSid }),
    ...(options.bundleSid === undefined ? {} : { bundleSid: options.bundleSid }),
  };
  const problems = buyOptionProblems(purchase);
  if (problems.length > 0) throw new RangeError(`invalid Twilio number provisioning options: ${problems.join('; ')}`);

  const redact = makeRedactor(options.accountSid, options.authToken);
  const portError = toPortError(redact);
  // The SDK's own timeout closes the socket of a request we stopped waiting for.
  const client: TwilioNumbersClient =
    options.client ?? twilio(options.accountSid, options.authToken, { autoRetry: false, lazyLoading: true, timeout: timeoutMs });
  const twilioNumbers = createTwilioProvisioning({ accountSid: options.accountSid, authToken: options.authToken, client });

  /** One Twilio call within the deadline. */
  const timed =
    <A>(task: TE.TaskEither<ProvisioningError, A>): TE.TaskEither<ProvisioningError, A> =>
    () =>
      withDeadline(task(), timeoutMs, () =>
        E.left({ code: 'unavailable', message: `Twilio did not answer within ${timeoutMs} ms`, providerCode: null, status: null }),
      );

  const findHeld = (number: E164): TE.TaskEither<ProvisioningError, AccountNumber | null> =>
    pipe(
      timed(twilioNumbers.findHeldNumber(number)),
      TE.map((held) => (held === null ? null : { number, sms: held.capabilities.sms })),
    );

  const suggest = (query: SuggestNumbersQuery): TE.TaskEither<PortError, ReadonlyArray<SuggestedNumber>> =>
    pipe(
      timed(
        twilioNumbers.searchLocalNumbers(searchCountry(query.country), {
          limit: query.limit,
          // Not three digits: NaN, which the search refuses as it refuses any other malformed area code.
          ...(query.areaCode === null ? {} : { areaCode: /^\d{3}$/.test(query.areaCode) ? Number(query.areaCode) : Number.NaN }),
        }),
      ),
      TE.map((found) => found.flatMap(toSuggestion).slice(0, query.limit)),
      TE.mapLeft(portError),
    );

  const lookUp = (number: E164): TE.TaskEither<PortError, AccountNumber | null> => pipe(findHeld(number), TE.mapLeft(portError));

  const acquireNumber = async (number: E164): Promise<E.Either<ProvisioningError, AccountNumber>> => {
    // Held already (bought earlier, or by an acquire whose answer was lost): answered as it is, not bought again.
    const held = await findHeld(number)();
    if (E.isLeft(held)) return held;
    if (held.right !== null) return E.right(held.right);
    const bought = await timed(twilioNumbers.buyNumber({ phoneNumber: number, ...purchase }))();
    if (E.isRight(bought)) return E.right({ number, sms: bought.right.capabilities.sms });
    // Twilio says 21422 (not available) also when this account took the number meanwhile (a concurrent acquire).
    if (bought.left.code === 'number-not-available') {
      const again = await findHeld(number)();
      if (E.isRight(again) && again.right !== null) return E.right(again.right);
    }
    return bought;
  };

  const acquire = (number: E164): TE.TaskEither<PortError, AccountNumber> => pipe(() => acquireNumber(number), TE.mapLeft(portError));

  return { suggest, lookUp, acquire };
};

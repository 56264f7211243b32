import twilio from 'twilio';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { makeRedactor } from './redact.js';
import { isRetryableFailure, readTwilioFailure, type TwilioFailure } from './twilio-error.js';

/** Countries whose numbers a Message Center business may use (B1). */
export const PROVISIONING_COUNTRIES = ['US', 'CA', 'AU', 'GB'] as const;
export type ProvisioningCountry = (typeof PROVISIONING_COUNTRIES)[number];

export interface SearchLocalNumbersOptions {
  /** US and CA only: a three-digit area code. */
  readonly areaCode?: number;
  /** Twilio's pattern (2–16 characters of digits, letters and `*%+$`), e.g. `555` or `+1415*******`. */
  readonly contains?: string;
  /** State, province or region, e.g. `CA` or `NSW`. */
  readonly inRegion?: string;
  readonly inLocality?: string;
  /** How many numbers at most (1–100, default 20). */
  readonly limit?: number;
}

export interface AvailableNumber {
  /** E.164. */
  readonly phoneNumber: string;
  readonly friendlyName: string;
  readonly locality: string | null;
  readonly region: string | null;
  readonly isoCountry: string;
  /** `none`, `any`, `local` or `foreign`: whether buying it needs an Address (or regulatory Bundle). */
  readonly addressRequirements: string;
  readonly capabilities: NumberCapabilities;
}

/** What a number can do, as Twilio reports it. */
export interface NumberCapabilities {
  readonly sms: boolean;
  readonly mms: boolean;
  readonly voice: boolean;
}

export interface BuyNumberInput {
  /** E.164, usually one returned by `searchLocalNumbers`. */
  readonly phoneNumber: string;
  /** The inbound webhook (`…/twilio/sms` of the handler); Twilio posts to it. */
  readonly smsUrl: string;
  /**
   * The number's `StatusCallback`. Twilio uses it for voice call status; message delivery status comes
   * from the per-message status callback the transport sets on every send.
   */
  readonly statusCallbackUrl?: string;
  readonly friendlyName?: string;
  /** Required by Twilio for numbers whose `addressRequirements` is not `none` (AU, GB and others). */
  readonly addressSid?: string;
  /** A regulatory Bundle, required for numbers in some countries (e.g. AU, GB). */
  readonly bundleSid?: string;
}

export interface PurchasedNumber {
  /** The IncomingPhoneNumber sid (`PN…`), needed to release or reconfigure the number. */
  readonly sid: string;
  readonly phoneNumber: string;
  readonly smsUrl: string;
  readonly smsMethod: string;
  /** As Twilio answers the purchase (all false when its answer has none). */
  readonly capabilities: NumberCapabilities;
}

/** A number the account holds (one of its IncomingPhoneNumbers). */
export interface HeldNumber {
  /** The IncomingPhoneNumber sid (`PN…`). */
  readonly sid: string;
  /** E.164. */
  readonly phoneNumber: string;
  /** Where Twilio posts the number's inbound SMS now (empty or null when nothing is set). */
  readonly smsUrl: string | null;
  readonly capabilities: NumberCapabilities;
}

export type ProviderFailure<C extends string> = {
  readonly code: C;
  readonly message: string;
  readonly providerCode: number | null;
  readonly status: number | null;
};

export type ProvisioningError =
  | { readonly code: 'country-not-supported'; readonly message: string; readonly country: string }
  | { readonly code: 'invalid-request'; readonly message: string; readonly problems: ReadonlyArray<string> }
  | ProviderFailure<'number-not-available'>
  | ProviderFailure<'invalid-number'>
  | ProviderFailure<'address-required'>
  | ProviderFailure<'authentication-failed'>
  /** 429, 5xx or the network: nothing is known to have happened; the caller may try again later. */
  | ProviderFailure<'unavailable'>
  | ProviderFailure<'rejected'>;

/** The parameters sent to `availablePhoneNumbers(country).local.list`. */
export interface LocalSearchParams {
  readonly smsEnabled: true;
  readonly limit: number;
  readonly areaCode?: number;
  readonly contains?: string;
  readonly inRegion?: string;
  readonly inLocality?: string;
}

/** The parameters sent to `incomingPhoneNumbers.create`. */
export interface BuyParams {
  readonly phoneNumber: string;
  readonly smsUrl: string;
  readonly smsMethod: 'POST';
  readonly statusCallback?: string;
  readonly statusCallbackMethod?: 'POST';
  readonly friendlyName?: string;
  readonly addressSid?: string;
  readonly bundleSid?: string;
}

/**
 * The parameters sent to `incomingPhoneNumbers.list`. Twilio matches `phoneNumber` partially (a number
 * that contains it matches too), so the answer is filtered to the exact number afterwards.
 */
export interface HeldNumberListParams {
  readonly phoneNumber: string;
  readonly limit: number;
}

/** The slice of the twilio SDK client provisioning uses; a `twilio.Twilio` satisfies it. */
export interface TwilioNumbersClient {
  readonly availablePhoneNumbers: (countryCode: string) => {
    readonly local: { readonly list: (params: LocalSearchParams) => Promise<ReadonlyArray<AvailableNumberResource>> };
  };
  readonly incomingPhoneNumbers: {
    readonly create: (params: BuyParams) => Promise<{
      readonly sid: string;
      readonly phoneNumber: string;
      readonly smsUrl: string;
      readonly smsMethod: string;
      readonly capabilities?: unknown;
    }>;
    readonly list: (params: HeldNumberListParams) => Promise<ReadonlyArray<IncomingNumberResource>>;
  };
}

/** The fields of a listed IncomingPhoneNumber that provisioning reads. */
export interface IncomingNumberResource {
  readonly sid: string;
  readonly phoneNumber: string;
  readonly smsUrl: string | null;
  readonly capabilities: unknown;
}

export interface AvailableNumberResource {
  readonly phoneNumber: string;
  readonly friendlyName: string;
  readonly locality: string | null;
  readonly region: string | null;
  readonly isoCountry: string;
  readonly addressRequirements: string;
  readonly capabilities: unknown;
}

export interface TwilioProvisioningOptions {
  readonly accountSid: string;
  readonly authToken: string;
  readonly client?: TwilioNumbersClient;
}

export interface TwilioProvisioning {
  readonly searchLocalNumbers: (
    country: string,
    options?: SearchLocalNumbersOptions,
  ) => TE.TaskEither<ProvisioningError, ReadonlyArray<AvailableNumber>>;
  readonly buyNumber: (input: BuyNumberInput) => TE.TaskEither<ProvisioningError, PurchasedNumber>;
  /** The account's IncomingPhoneNumber for exactly `phoneNumber` (E.164), or null when it holds no such number. */
  readonly findHeldNumber: (phoneNumber: string) => TE.TaskEither<ProvisioningError, HeldNumber | null>;
}

const isProvisioningCountry = (c: string): c is ProvisioningCountry => PROVISIONING_COUNTRIES.some((x) => x === c);

const isHttpUrl = (s: string): boolean => {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};

const E164 = /^\+[1-9]\d{6,14}$/;
const NOT_E164 = 'phoneNumber must be in E.164 form (+14155552671)';
// Twilio's partial match on an E.164 number finds it and the few longer numbers that contain it: one page.
const HELD_NUMBER_PAGE = 50;

// Twilio reports these on purchase (https://www.twilio.com/docs/api/errors/{code}).
const mapProviderCode = (code: number | null, status: number): ProviderFailure<string>['code'] | null => {
  switch (code) {
    case 21422:
      return 'number-not-available'; // "PhoneNumber is not available"
    case 21421:
      return 'invalid-number'; // "PhoneNumber is invalid"
    case 21631: // "Phone Number Requires an Address"
    case 21613: // "PhoneNumber Requires an Address" (certification)
      return 'address-required';
    case 20003:
      return 'authentication-failed';
    default:
      return status === 401 ? 'authentication-failed' : null;
  }
};

const toProvisioningError = (f: TwilioFailure, redact: (s: string) => string): ProvisioningError => {
  const providerCode = f.kind === 'http' ? f.code : null;
  const status = f.kind === 'http' ? f.status : null;
  const message = redact(
    f.kind === 'http'
      ? `Twilio answered HTTP ${f.status}${f.code === null ? '' : ` with error ${f.code}`}: ${f.message}`
      : f.kind === 'network'
        ? `could not reach Twilio (${f.code}): ${f.message}`
        : f.kind === 'timeout'
          ? `Twilio did not answer within ${f.afterMs} ms`
          : `Twilio call failed: ${f.message}`,
  );
  if (isRetryableFailure(f)) return { code: 'unavailable', message, providerCode, status };
  const mapped = f.kind === 'http' ? mapProviderCode(f.code, f.status) : null;
  switch (mapped) {
    case 'number-not-available':
    case 'invalid-number':
    case 'address-required':
    case 'authentication-failed':
      return { code: mapped, message, providerCode, status };
    default:
      return { code: 'rejected', message, providerCode, status };
  }
};

const flag = (capabilities: unknown, ...keys: ReadonlyArray<string>): boolean =>
  typeof capabilities === 'object' &&
  capabilities !== null &&
  keys.some((k) => k in capabilities && Reflect.get(capabilities, k) === true);

// The live API has spelled these `SMS`/`MMS` as well as `sms`/`mms`; accept both.
const readCapabilities = (capabilities: unknown): NumberCapabilities => ({
  sms: flag(capabilities, 'sms', 'SMS'),
  mms: flag(capabilities, 'mms', 'MMS'),
  voice: flag(capabilities, 'voice', 'Voice'),
});

/** The options of a purchase that do not depend on the number: what is wrong with them (nothing: empty). */
export const buyOptionProblems = (input: Omit<BuyNumberInput, 'phoneNumber' | 'friendlyName'>): ReadonlyArray<string> => [
  ...(isHttpUrl(input.smsUrl) ? [] : ['smsUrl must be an absolute http(s) URL']),
  ...(input.statusCallbackUrl === undefined || isHttpUrl(input.statusCallbackUrl) ? [] : ['statusCallbackUrl must be an absolute http(s) URL']),
  ...(input.addressSid === undefined || /^AD[0-9a-fA-F]{32}$/.test(input.addressSid) ? [] : ['addressSid must look like AD…']),
  ...(input.bundleSid === undefined || /^BU[0-9a-fA-F]{32}$/.test(input.bundleSid) ? [] : ['bundleSid must look like BU…']),
];

const invalid = (problems: ReadonlyArray<string>): ProvisioningError => ({
  code: 'invalid-request',
  message: `invalid request: ${problems.join('; ')}`,
  problems,
});

/**
 * Number provisioning: search a country's available local SMS-capable numbers and buy one with the webhook
 * URLs set; this is how a business gets the number it enables the Message Center with (B1) or changes to
 * (B2). Nothing is retried here: buying is not idempotent, so a 5xx is reported as `unavailable` and the
 * caller decides (after checking its numbers) whether to try again.
 */
export const createTwilioProvisioning = (options: TwilioProvisioningOptions): TwilioProvisioning => {
  const redact = makeRedactor(options.accountSid, options.authToken);
  const client: TwilioNumbersClient =
    options.client ?? twilio(options.accountSid, options.authToken, { autoRetry: false, lazyLoading: true });

  const guarded =
    <A>(run: () => Promise<A>) =>
    async (): Promise<E.Either<ProvisioningError, A>> => {
      try {
        return E.right(await run());
      } catch (error: unknown) {
        return E.left(toProvisioningError(readTwilioFailure(error), redact));
      }
    };

  const searchLocalNumbers = (
    country: string,
    search: SearchLocalNumbersOptions = {},
  ): TE.TaskEither<ProvisioningError, ReadonlyArray<AvailableNumber>> => {
    const upper = country.toUpperCase();
    if (!isProvisioningCountry(upper)) {
      return async () =>
        E.left({
          code: 'country-not-supported',
          message: `numbers can be provisioned only in ${PROVISIONING_COUNTRIES.join(', ')}, not in ${country}`,
          country,
        });
    }
    const limit = search.limit ?? 20;
    const problems = [
      ...(Number.isInteger(limit) && limit >= 1 && limit <= 100 ? [] : ['limit must be an integer from 1 to 100']),
      ...(search.areaCode === undefined
        ? []
        : upper !== 'US' && upper !== 'CA'
          ? ['areaCode applies only to US and CA numbers']
          : Number.isInteger(search.areaCode) && search.areaCode >= 200 && search.areaCode <= 999
            ? []
            : ['areaCode must be a three-digit area code']),
      ...(search.contains === undefined || /^[0-9a-zA-Z*%+$]{2,16}$/.test(search.contains)
        ? []
        : ['contains must be 2 to 16 digits, letters or * % + $']),
    ];
    if (problems.length > 0) return async () => E.left(invalid(problems));
    const params: LocalSearchParams = {
      smsEnabled: true,
      limit,
      ...(search.areaCode === undefined ? {} : { areaCode: search.areaCode }),
      ...(search.contains === undefined ? {} : { contains: search.contains }),
      ...(search.inRegion === undefined ? {} : { inRegion: search.inRegion }),
      ...(search.inLocality === undefined ? {} : { inLocality: search.inLocality }),
    };
    return guarded(async () => {
      const found = await client.availablePhoneNumbers(upper).local.list(params);
      return found.map(
        (n): AvailableNumber => ({
          phoneNumber: n.phoneNumber,
          friendlyName: n.friendlyName,
          locality: n.locality ?? null,
          region: n.region ?? null,
          isoCountry: n.isoCountry,
          addressRequirements: n.addressRequirements,
          capabilities: readCapabilities(n.capabilities),
        }),
      );
    });
  };

  const buyNumber = (input: BuyNumberInput): TE.TaskEither<ProvisioningError, PurchasedNumber> => {
    const problems = [...(E164.test(input.phoneNumber) ? [] : [NOT_E164]), ...buyOptionProblems(input)];
    if (problems.length > 0) return async () => E.left(invalid(problems));
    const params: BuyParams = {
      phoneNumber: input.phoneNumber,
      smsUrl: input.smsUrl,
      smsMethod: 'POST',
      ...(input.statusCallbackUrl === undefined
        ? {}
        : { statusCallback: input.statusCallbackUrl, statusCallbackMethod: 'POST' as const }),
      ...(input.friendlyName === undefined ? {} : { friendlyName: input.friendlyName }),
      ...(input.addressSid === undefined ? {} : { addressSid: input.addressSid }),
      ...(input.bundleSid === undefined ? {} : { bundleSid: input.bundleSid }),
    };
    return guarded(async () => {
      const bought = await client.incomingPhoneNumbers.create(params);
      return {
        sid: bought.sid,
        phoneNumber: bought.phoneNumber,
        smsUrl: bought.smsUrl,
        smsMethod: bought.smsMethod,
        capabilities: readCapabilities(bought.capabilities),
      };
    });
  };

  const findHeldNumber = (phoneNumber: string): TE.TaskEither<ProvisioningError, HeldNumber | null> => {
    if (!E164.test(phoneNumber)) return async () => E.left(invalid([NOT_E164]));
    return guarded(async () => {
      const listed = await client.incomingPhoneNumbers.list({ phoneNumber, limit: HELD_NUMBER_PAGE });
      const held = listed.find((n) => n.phoneNumber === phoneNumber);
      return held === undefined
        ? null
        : { sid: held.sid, phoneNumber: held.phoneNumber, smsUrl: held.smsUrl, capabilities: readCapabilities(held.capabilities) };
    });
  };

  return { searchLocalNumbers, buyNumber, findHeldNumber };
};

import { fileURLToPath } from 'node:url';

/**
 * The trimmed copy of Twilio's OpenAPI description that the tests carry (see `../fixtures/README.md`), and the
 * operations it keeps: the ones the adapter calls (`messages.create`, `availablePhoneNumbers(c).local.list`,
 * `incomingPhoneNumbers.create`, `incomingPhoneNumbers.list`), which the stub validates and answers with their
 * documented examples.
 * Regenerate with `pnpm twilio:openapi` after changing this list.
 */
export const FIXTURE_PATH = fileURLToPath(new URL('../fixtures/twilio_api_v2010.trimmed.json', import.meta.url));

export const TWILIO_OPERATIONS = [
  'CreateMessage',
  'ListAvailablePhoneNumberLocal',
  'CreateIncomingPhoneNumber',
  'ListIncomingPhoneNumber',
] as const;

export type TwilioOperation = (typeof TWILIO_OPERATIONS)[number];

import { ProviderMessageId } from '@message-center/core';

/** Twilio's `MessageSid` as the core's `ProviderMessageId`, or null when the core would not accept it. */
export const toProviderMessageId = (s: unknown): ProviderMessageId | null => (ProviderMessageId.is(s) ? s : null);

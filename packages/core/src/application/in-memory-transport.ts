import * as TE from 'fp-ts/lib/TaskEither.js';
import { ProviderMessageId } from '../domain/values/ids.js';
import type { OutgoingSms, SmsAccepted, SmsTransport, TransportError } from './ports/sms-transport.js';

export interface InMemorySmsTransport extends SmsTransport {
  /** Every message the transport accepted, in order. */
  readonly sent: ReadonlyArray<OutgoingSms & { readonly providerMessageId: ProviderMessageId }>;
}

/**
 * A transport that sends nothing: it records each message and answers like Twilio (`SM…` ids, status
 * `queued`). For examples and tests; `fail` decides which messages are refused, and how.
 */
export const createInMemorySmsTransport = (
  options: { readonly fail?: (sms: OutgoingSms) => TransportError | null } = {},
): InMemorySmsTransport => {
  const sent: Array<OutgoingSms & { readonly providerMessageId: ProviderMessageId }> = [];
  return {
    sent,
    send: (sms) => {
      const failure = options.fail?.(sms) ?? null;
      if (failure !== null) return TE.left(failure);
      const id = `SM${(sent.length + 1).toString(16).padStart(32, '0')}`;
      if (!ProviderMessageId.is(id)) return TE.left({ code: 'rejected', message: 'bad id', providerCode: null, status: null });
      sent.push({ ...sms, providerMessageId: id });
      const accepted: SmsAccepted = { providerMessageId: id, status: 'queued' };
      return TE.right(accepted);
    },
  };
};

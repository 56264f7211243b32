/**
 * Every refusal of the domain: a discriminated union on `code`, each with a human message.
 * A refused command appends nothing.
 */
export type DomainError =
  | { readonly code: 'invalid-input'; readonly message: string; readonly problems: ReadonlyArray<string> }
  | { readonly code: 'forbidden'; readonly message: string }
  | { readonly code: 'country-not-supported'; readonly message: string; readonly country: string }
  | {
      readonly code: 'number-country-not-allowed';
      readonly message: string;
      readonly numberCountry: string | null;
      readonly allowed: ReadonlyArray<string>;
    }
  | { readonly code: 'invalid-phone-number'; readonly message: string }
  | { readonly code: 'message-center-not-enabled'; readonly message: string }
  | { readonly code: 'message-center-already-enabled'; readonly message: string }
  | { readonly code: 'number-retired'; readonly message: string; readonly number: string }
  | { readonly code: 'unknown-number'; readonly message: string; readonly number: string }
  | { readonly code: 'number-in-use'; readonly message: string; readonly number: string }
  | { readonly code: 'number-not-offered'; readonly message: string; readonly number: string }
  | { readonly code: 'client-not-found'; readonly message: string }
  | { readonly code: 'client-has-no-valid-cell-phone'; readonly message: string }
  | { readonly code: 'empty-body'; readonly message: string }
  | { readonly code: 'body-too-long'; readonly message: string; readonly length: number; readonly max: number }
  | { readonly code: 'client-unsubscribed'; readonly message: string }
  | { readonly code: 'allotment-exhausted'; readonly message: string; readonly limit: number; readonly used: number }
  | { readonly code: 'conversation-not-found'; readonly message: string }
  | { readonly code: 'message-not-found'; readonly message: string };

export type DomainErrorCode = DomainError['code'];

export const forbidden = (message: string): DomainError => ({ code: 'forbidden', message });

/** B1: asked of a business that has not enabled the Message Center (commands, queries and read models alike). */
export const notEnabled: DomainError = { code: 'message-center-not-enabled', message: 'the Message Center is not enabled for this business' };

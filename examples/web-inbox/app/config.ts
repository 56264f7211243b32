/**
 * The web inbox's settings from the environment. Without Twilio credentials it runs as a demo: an
 * in-memory SMS transport, and a generated account and auth token with which the "text as a client" panel
 * signs its webhooks exactly as Twilio would.
 */
import { randomBytes } from 'node:crypto';

export interface TwilioSettings {
  readonly accountSid: string;
  readonly authToken: string;
  /** Where Twilio reaches this server, e.g. `https://inbox.example.com`; webhooks are signed against it. */
  readonly publicUrl: string;
  /** The salon's Twilio number (E.164), set up for two-way SMS in the Twilio console. */
  readonly number: string;
}

export interface WebInboxConfig {
  readonly host: string;
  readonly port: number;
  /** null: demo mode (in-memory transport, simulated client phones). */
  readonly twilio: TwilioSettings | null;
}

export type Environment = Readonly<Record<string, string | undefined>>;

const TWILIO_KEYS = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'PUBLIC_URL', 'BUSINESS_NUMBER'] as const;

/** The settings, or what is wrong with the environment (never a secret's value). */
export const configFromEnvironment = (env: Environment): { readonly config: WebInboxConfig } | { readonly problem: string } => {
  const portText = env['PORT'] === undefined || env['PORT'] === '' ? '3000' : env['PORT'];
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) return { problem: `PORT must be an integer from 0 to 65535 (got ${JSON.stringify(portText.slice(0, 20))})` };
  const host = env['HOST'] === undefined || env['HOST'] === '' ? '127.0.0.1' : env['HOST'];
  const given = TWILIO_KEYS.filter((k) => (env[k] ?? '') !== '');
  if (given.length === 0) return { config: { host, port, twilio: null } };
  if (given.length < TWILIO_KEYS.length) {
    const missing = TWILIO_KEYS.filter((k) => !given.includes(k));
    return { problem: `a real Twilio number needs ${TWILIO_KEYS.join(', ')}; missing: ${missing.join(', ')} (set none of them for the demo)` };
  }
  const value = (k: (typeof TWILIO_KEYS)[number]): string => env[k] ?? '';
  return { config: { host, port, twilio: { accountSid: value('TWILIO_ACCOUNT_SID'), authToken: value('TWILIO_AUTH_TOKEN'), publicUrl: value('PUBLIC_URL').replace(/\/+$/, ''), number: value('BUSINESS_NUMBER') } } };
};

/** The demo's stand-in for a Twilio account: its webhooks are signed with a token made for this process. */
export const demoAccount = (): { readonly accountSid: string; readonly authToken: string } => ({
  accountSid: `AC${randomBytes(16).toString('hex')}`,
  authToken: randomBytes(16).toString('hex'),
});

/**
 * The page's API acts for staff without a login (the demo picks a staff member on the page), so it must
 * only be reachable from the page itself:
 *
 * - a request for another Host is refused (DNS rebinding: a hostile site whose name resolves to this
 *   machine would otherwise read the API as same-origin);
 * - a POST must be JSON and, when the browser says where it comes from (`Origin`), come from this server
 *   (a hostile page can post a form, `text/plain` included, to any address, but not JSON without asking).
 *
 * Twilio's webhooks are not guarded here: they are checked by their signature.
 */
import type { IncomingMessage } from 'node:http';

export interface Guard {
  /** Null when the request may go on, else why it may not. */
  readonly refusal: (request: IncomingMessage) => string | null;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/** `listening`: where the server listens (`http://127.0.0.1:3000`); `publicUrl`: where browsers reach it, if elsewhere. */
export const requestGuard = (listening: string, publicUrl: string | null): Guard => {
  const own = new URL(listening);
  const hosts = new Set<string>([own.host]);
  if (LOOPBACK.includes(own.hostname)) for (const name of LOOPBACK) hosts.add(`${name}:${own.port}`);
  if (publicUrl !== null) hosts.add(new URL(publicUrl).host);
  const origins = new Set([...hosts].flatMap((host) => [`http://${host}`, `https://${host}`]));
  return {
    refusal: (request) => {
      const host = request.headers.host ?? '';
      if (!hosts.has(host.toLowerCase())) return `this server answers for ${[...hosts].join(', ')}, not for Host ${JSON.stringify(host.slice(0, 100))}`;
      if (request.method !== 'POST') return null;
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json') return 'a POST to the API must be application/json';
      const origin = request.headers.origin;
      if (origin !== undefined && !origins.has(origin.toLowerCase())) return `a POST from ${JSON.stringify(origin.slice(0, 100))} is not from this page`;
      return null;
    },
  };
};

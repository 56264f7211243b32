import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { BodyRead } from './webhook-exchange.js';

/**
 * A header as `Headers.get` would give it from `req.headers`: node has already lower-cased the name, trimmed
 * the value, kept the first of a repeated single-value header (`content-type`, `content-length`, …) and
 * joined the others with ", "; only `set-cookie` stays a list.
 */
export const nodeHeader = (headers: IncomingHttpHeaders, name: string): string | null => {
  const value = headers[name];
  return value === undefined ? null : typeof value === 'string' ? value : value.join(', ');
};

const UNREADABLE: BodyRead = { kind: 'unreadable' };
const TOO_LARGE: BodyRead = { kind: 'too-large' };

/**
 * The request body, at most `limit` bytes. Past the limit it keeps nothing more but lets the rest flow
 * (discarded) rather than destroying the socket, so the client still receives the 413; the answer then
 * closes the connection since the request did not end. A connection closed before the body ended (the
 * server's request timeout, a client gone) or a stream error ends the read too, as `unreadable`, or the
 * webhook would wait for the rest forever.
 */
export const readNodeBody = (req: IncomingMessage, limit: number): Promise<BodyRead> =>
  new Promise((resolve) => {
    const chunks: Array<Buffer> = [];
    let total = 0;
    let settled = false;
    const settle = (read: BodyRead): void => {
      if (settled) return;
      settled = true;
      resolve(read);
    };
    req.on('data', (chunk: unknown) => {
      if (settled) return;
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : null;
      if (bytes === null) return;
      total += bytes.byteLength;
      if (total > limit) return settle(TOO_LARGE);
      chunks.push(bytes);
    });
    req.once('end', () => settle({ kind: 'ok', bytes: chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, total) }));
    req.once('error', () => settle(UNREADABLE));
    req.once('close', () => settle(UNREADABLE));
  });

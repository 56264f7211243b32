/** Calls of the server's JSON API: each answers the checked value or an error to show. */
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { ApiError } from './wire.js';

export type Answer<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly code: string; readonly message: string };

const check = async <A>(codec: t.Type<A, unknown, unknown>, response: Response): Promise<Answer<A>> => {
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = ApiError.decode(json);
    return E.isRight(error) ? { ok: false, ...error.right.error } : { ok: false, code: `http-${response.status}`, message: response.statusText };
  }
  const value = codec.decode(json);
  return E.isRight(value) ? { ok: true, value: value.right } : { ok: false, code: 'unexpected-answer', message: 'the server answered something this page does not understand' };
};

/** A request that got no answer at all (the server is down, the network gone) is an answer too. */
const call = async <A>(codec: t.Type<A, unknown, unknown>, path: string, init: RequestInit): Promise<Answer<A>> => {
  try {
    return await check(codec, await fetch(path, init));
  } catch {
    return { ok: false, code: 'unreachable', message: 'the server cannot be reached; try again in a moment' };
  }
};

export const get = <A>(codec: t.Type<A, unknown, unknown>, path: string, query: ReadonlyArray<readonly [string, string]>): Promise<Answer<A>> =>
  call(codec, `${path}?${new URLSearchParams(query.map(([k, v]) => [k, v])).toString()}`, { headers: { accept: 'application/json' } });

export const post = <A>(codec: t.Type<A, unknown, unknown>, path: string, body: Readonly<Record<string, unknown>>): Promise<Answer<A>> =>
  call(codec, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

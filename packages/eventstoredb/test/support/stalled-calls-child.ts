/**
 * Child process of `deadline-exit.test.ts`: calls a stalled server through the adapter (the client under
 * test, deadline `MC_STALLED_DEADLINE_MS`), prints one JSON line per call and `closed` once the connection
 * is closed, then ends on its own. A timer, call or stream left behind by a timed-out call would keep it
 * alive, which the test sees. Run with tsx and the `@message-center/source` condition.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { StoreError } from '@message-center/core';
import * as E from 'fp-ts/lib/Either.js';
import { connectEventStoreDb } from '../../src/index.js';
import { CLIENT_UNDER_TEST } from './client-under-test.js';

const url = process.env.MC_STALLED_URL ?? '';
const deadlineMs = Number(process.env.MC_STALLED_DEADLINE_MS ?? '300');
const wanted = (process.env.MC_STALLED_CALLS ?? '').split(',').filter((call) => call !== '');

const { store, close } = connectEventStoreDb(url, { client: CLIENT_UNDER_TEST, deadlineMs, resubscribe: { maxAttempts: 0 } });
const stream = `esdb-exit-${randomUUID()}`;
const codeOf = async (task: () => Promise<E.Either<StoreError, unknown>>): Promise<string> => {
  const result = await task();
  return E.isLeft(result) ? result.left.code : 'ok';
};

const calls: Readonly<Record<string, () => Promise<string>>> = {
  readStream: () => codeOf(store.readStream(stream)),
  readAll: () => codeOf(store.readAll()),
  append: () => codeOf(store.appendToStream(stream, [{ id: randomUUID(), type: 'Stalled', data: {}, metadata: { schemaVersion: 1 } }], { expectedRevision: 'any' })),
  deleteStream: () => codeOf(store.deleteStream(stream)),
  subscribeToAll: () =>
    new Promise((resolve) => {
      store.subscribeToAll({ streamPrefix: stream }, { onEvent: () => undefined, onError: (error) => resolve(error.code) });
    }),
};

await Promise.all(
  wanted.map(async (call) => {
    const started = performance.now();
    const code = await (calls[call] ?? (async () => 'unknown call'))();
    console.log(JSON.stringify({ call, code, ms: Math.round(performance.now() - started) }));
  }),
);
await close();
console.log('closed');

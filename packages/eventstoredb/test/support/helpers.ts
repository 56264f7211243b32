import { randomUUID } from 'node:crypto';
import type { EventToAppend, RecordedEvent, StoreError } from '@message-center/core';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';

export const event = (type: string, data: unknown, id: string = randomUUID()): EventToAppend => ({
  id,
  type,
  data,
  metadata: { schemaVersion: 1, correlationId: 'corr-1', causationId: 'cause-1' },
});

export const events = (count: number, type = 'Happened'): EventToAppend[] => Array.from({ length: count }, (_, n) => event(type, { n }));

/** Runs a task and returns its Right, failing the test with the StoreError otherwise. */
export const right = async <A>(task: TE.TaskEither<StoreError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`expected Right, got ${result.left.code}: ${result.left.message}`);
  return result.right;
};

export const left = async <A>(task: TE.TaskEither<StoreError, A>): Promise<StoreError> => {
  const result = await task();
  if (E.isRight(result)) throw new Error('expected Left, got Right');
  return result.left;
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds, or fails after `timeoutMs`. */
export const eventually = async (check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
};

export const ids = (recorded: ReadonlyArray<RecordedEvent>): string[] => recorded.map((e) => e.id);

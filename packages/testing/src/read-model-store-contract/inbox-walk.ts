import * as E from 'fp-ts/lib/Either.js';
import type { InboxPage } from '@message-center/core';

/** Every page of one inbox query, or the code of its refusal. */
export type Walk = ReadonlyArray<InboxPage> | string;

/** Every page of one query, walked through the side's own cursors (or the refusal's code). */
export const walk = async (page: (cursor: string | undefined) => Promise<E.Either<{ readonly code: string }, InboxPage>>): Promise<Walk> => {
  const pages: InboxPage[] = [];
  let cursor: string | undefined;
  for (;;) {
    const answer = await page(cursor);
    if (E.isLeft(answer)) return answer.left.code;
    pages.push(answer.right);
    if (answer.right.nextCursor === null) return pages;
    cursor = answer.right.nextCursor;
    if (pages.length > 100) throw new Error('the cursors never end');
  }
};

// Walking alerts through their cursors, and the cursors a query may be given (the real ones, positions around
// them, the same positions written otherwise, and strings that are not cursors).
import * as E from 'fp-ts/lib/Either.js';
import type { AlertsPage, LogPosition } from '@message-center/core';

/** Every page of one business's alerts, each asked after the previous page's cursor, or the refusal's code. */
export type AlertsWalk = ReadonlyArray<AlertsPage> | string;

export const walkAlerts = async (page: (after: string | undefined) => Promise<E.Either<{ readonly code: string }, AlertsPage>>, first?: string): Promise<AlertsWalk> => {
  const pages: AlertsPage[] = [];
  let after = first;
  for (;;) {
    const answer = await page(after);
    if (E.isLeft(answer)) return answer.left.code;
    pages.push(answer.right);
    // Nothing new: the cursor comes back unchanged, and the walk ends.
    if (answer.right.alerts.length === 0) return pages;
    after = answer.right.cursor ?? undefined;
    if (pages.length > 600) throw new Error('the cursors never end');
  }
};

/** An answer as compared between the two sides: the page, or the refusal's code. */
export const answerOf = (answer: E.Either<{ readonly code: string }, AlertsPage>): AlertsPage | string => (E.isRight(answer) ? answer.right : answer.left.code);

/** Core's cursor format (`<commit>.<prepare>` in base 36), written here to aim between and around real alerts. */
export const cursorAt = (p: LogPosition, pad = ''): string => `${pad}${p.commit.toString(36)}.${pad}${p.prepare.toString(36)}`;

/** Cursors to ask after, around the positions of real alerts (`pick` chooses among them). */
export const cursorsAround = (positions: ReadonlyArray<LogPosition>, pick: ReadonlyArray<number>): ReadonlyArray<string> => {
  const out: string[] = [];
  for (const [i, n] of pick.entries()) {
    const p = positions.length === 0 ? { commit: BigInt(n), prepare: BigInt(n) } : positions[n % positions.length];
    if (p === undefined) continue;
    const around: ReadonlyArray<string> = [
      cursorAt(p),
      cursorAt(p, '00'),
      cursorAt({ commit: p.commit, prepare: p.prepare + 1n }),
      cursorAt({ commit: p.commit > 0n ? p.commit - 1n : 0n, prepare: p.prepare }),
      cursorAt({ commit: p.commit + 1000n, prepare: 0n }),
      '0.0',
      'zzzzzzzzzzzzzzzzzzzz.zzzzzzzzzzzzzzzzzzzz',
      'A.1',
      'not a cursor',
      `${p.commit.toString(36)}.`,
    ];
    out.push(around[(n + i) % around.length] ?? '0.0');
  }
  return out;
};

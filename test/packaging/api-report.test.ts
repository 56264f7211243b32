import { describe, expect, test } from 'vitest';
import { runApiExtractor } from '../../scripts/api-report.js';
import { PUBLISHED_PACKAGES } from '../../scripts/packages.js';

// Every exported name and signature of every package is in the committed report api/<package>.api.md, so
// a change of the public API is a visible diff in review. The global setup built the packages just now.
describe('API reports', () => {
  test.each(PUBLISHED_PACKAGES)('%s: the public API matches the committed report (update with `npx -y pnpm@10 run api`)', (name) => {
    const result = runApiExtractor(name, { update: false });
    expect(result.problems).toEqual([]);
    expect(result.reportChanged).toBe(false);
    expect(result.succeeded).toBe(true);
  });
});

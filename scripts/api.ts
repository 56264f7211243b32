import { runApiExtractor } from './api-report.js';
import { PUBLISHED_PACKAGES } from './packages.js';

// `tsx scripts/api.ts [--update]`: checks (or, with --update, rewrites) the committed API reports in api/ from
// the built packages, and writes the doc model that `pnpm docs` turns into the API reference.
const update = process.argv.includes('--update');
let failed = false;
for (const name of PUBLISHED_PACKAGES) {
  const result = runApiExtractor(name, { update });
  const status = result.reportChanged ? (update ? 'report updated' : 'public API changed: run `npx -y pnpm@10 run api` and commit api/') : 'unchanged';
  process.stdout.write(`${name}: ${status}\n${result.problems.map((p) => `  ${p}\n`).join('')}`);
  if (!result.succeeded) failed = true;
}
if (failed) process.exitCode = 1;

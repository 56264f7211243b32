/**
 * `pnpm bench`: measures, never asserts. Results are recorded by hand in docs/benchmarks.md.
 * The root script runs it with `--expose-gc` so memory figures are taken after a full collection.
 * BENCH_ONLY=fold,… runs only the named sections.
 */
import { clientFinderBench } from './client-finder.js';
import { eventStoreDbBench } from './eventstoredb.js';
import { foldBench } from './fold.js';
import { goalsBench } from './goals.js';
import { inboxBench } from './inbox.js';
import { twilioWebhookBench } from './twilio.js';

const sections: ReadonlyArray<readonly [string, () => unknown]> = [
  ['goals', goalsBench],
  ['fold', foldBench],
  ['eventstoredb', eventStoreDbBench],
  ['twilio', twilioWebhookBench],
  ['inbox', inboxBench],
  ['clients', clientFinderBench],
  ['postgres', async () => (await import('./postgres.js')).postgresBench()],
];

const only = process.env['BENCH_ONLY']?.split(',');
console.log(`Message Center benchmarks — Node ${process.version}, ${process.arch}`);
for (const [name, run] of sections) if (only === undefined || only.includes(name)) await run();

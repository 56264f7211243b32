import fc from 'fast-check';

// Property tests run a fixed number of cases (FC_NUM_RUNS, default 100) so CI time is predictable;
// fast-check prints the seed and path of any failure, and FC_SEED replays one.
const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 100);
const seed = process.env['FC_SEED'];
fc.configureGlobal({
  numRuns: Number.isSafeInteger(numRuns) && numRuns > 0 ? numRuns : 100,
  ...(seed === undefined ? {} : { seed: Number(seed) }),
});

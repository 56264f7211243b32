// Heavy property tests generate, fold, query or replay whole histories: 2–10 ms a run on an idle 2-core
// machine, several times that on a loaded one, where Vitest's 5 s default timeout made them a flaky red.
import { fc } from '@fast-check/vitest';

/** The default of FC_NUM_RUNS (scripts/fast-check-setup.ts sets it globally for every property). */
const DEFAULT_RUNS = 100;

/** The run count in force for a property that sets none: FC_NUM_RUNS. */
const globalRuns = (): number => fc.readConfigureGlobal().numRuns ?? DEFAULT_RUNS;

/**
 * Runs of a heavy property: `runsAtDefault` at the default FC_NUM_RUNS, scaled by the FC_NUM_RUNS in force,
 * so raising it deepens these too (a fixed `numRuns` would ignore it) and lowering it shortens them.
 */
export const heavyRuns = (runsAtDefault: number): number => Math.max(1, Math.round((globalRuns() * runsAtDefault) / DEFAULT_RUNS));

/**
 * Timeout of a heavy property (at most FC_NUM_RUNS runs): 500 ms a run, ~50× an idle run, so only a hang or a
 * runaway shrink fails on time; it grows with FC_NUM_RUNS.
 */
export const HEAVY_TIMEOUT = Math.max(30_000, globalRuns() * 500);

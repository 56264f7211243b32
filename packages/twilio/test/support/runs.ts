import { fc } from '@fast-check/vitest';

/**
 * The acceptance asks for at least 1,000 cases for the security properties; the shared setup
 * (FC_NUM_RUNS) may ask for more, never for fewer.
 */
export const AT_LEAST_1000_RUNS = { numRuns: Math.max(1_000, fc.readConfigureGlobal().numRuns ?? 0) };

/** Generous: each run is fast, but CI machines can be busy. */
export const PROPERTY_TIMEOUT_MS = 120_000;

/**
 * Runs of a heavy property: `runsAtDefault` at the default FC_NUM_RUNS (100), scaled by the FC_NUM_RUNS in
 * force, so raising it deepens the property and lowering it shortens it.
 */
export const scaledRuns = (runsAtDefault: number): number => Math.max(1, Math.round(((fc.readConfigureGlobal().numRuns ?? 100) * runsAtDefault) / 100));

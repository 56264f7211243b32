import { execFileSync } from 'node:child_process';
import { arch, cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

export const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);

export const gc = (): void => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
};
export const heapMiB = (): number => process.memoryUsage().heapUsed / 2 ** 20;
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A duration in milliseconds as seconds, one decimal. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The load averages (1, 5, 15 minutes), as each figure is recorded with. */
export const loadLine = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

/** The machine, its load and the time, printed above each section's figures. */
export const machineLine = (): string =>
  `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version} ${arch()}, load ${loadLine()}, ${new Date().toISOString()}`;

/** The commit measured (short), or `unknown` outside a git checkout. */
export const commitOf = (): string => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
};

/** Median (and best) of several rounds after a warm-up round, in operations per second. */
export const measure = (name: string, operations: number, run: () => unknown, unit = 'events/s'): number => {
  // One unmeasured round first: the rounds then compare JIT-compiled code, not the compiler.
  run();
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    gc();
    const start = performance.now();
    run();
    const ms = performance.now() - start;
    rates.push(operations / (ms / 1000));
  }
  return report(name, rates, unit);
};

/** The same for asynchronous work. */
export const measureAsync = async (name: string, operations: number, run: () => Promise<unknown>, unit = 'ops/s'): Promise<number> => {
  await run();
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    gc();
    const start = performance.now();
    await run();
    const ms = performance.now() - start;
    rates.push(operations / (ms / 1000));
  }
  return report(name, rates, unit);
};

const report = (name: string, rates: number[], unit: string): number => {
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)] ?? 0;
  console.log(`  ${name.padEnd(56)} ${fmt(median).padStart(12)} ${unit} (median of ${rates.length}; best ${fmt(rates[rates.length - 1] ?? 0)})`);
  return median;
};

// A test run that dies without its teardown (a crash, SIGKILL) must not leave a PostgreSQL running: the
// cluster's watchdog stops it and removes its temp dir. A child process starts a cluster and is killed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { findServerBinaries } from './support/cluster.js';

/** tsx, initdb and the server's start take a few seconds on a busy machine; the watchdog's stop, less. */
const WITHIN_MS = 60_000;

interface Started {
  readonly url: string;
  readonly cluster: { readonly dir: string; readonly pid: number };
}

const isStarted = (value: unknown): value is Started =>
  typeof value === 'object' &&
  value !== null &&
  'url' in value &&
  typeof value.url === 'string' &&
  'cluster' in value &&
  typeof value.cluster === 'object' &&
  value.cluster !== null &&
  'dir' in value.cluster &&
  typeof value.cluster.dir === 'string' &&
  'pid' in value.cluster &&
  typeof value.cluster.pid === 'number';

/** Whether a process runs (signal 0 checks without signalling; EPERM means it runs as someone else). */
const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
  }
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Without server binaries the run's global setup has failed already, unless DATABASE_URL names the server:
// then there is no cluster to start, and only then is this skipped.
const binariesFound = await findServerBinaries(process.env).then(
  () => true,
  () => false,
);

describe.skipIf(!binariesFound)('a test run killed without its teardown', () => {
  it('leaves no postgres running and no temp dir: the watchdog stops the server once the run is gone', async () => {
    const require = createRequire(import.meta.url);
    // tsx as a loader of this one process (its CLI would run the script in a grandchild, which SIGKILL would miss).
    const child = spawn(
      process.execPath,
      ['--import', pathToFileURL(require.resolve('tsx')).href, fileURLToPath(new URL('./support/cluster-child.ts', import.meta.url))],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Also when the test fails or times out: the child's own watchdog then cleans up after it.
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    const started = await new Promise<Started>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const line = stdout.split('\n')[0];
        if (stdout.includes('\n') && line !== undefined) {
          const parsed: unknown = JSON.parse(line);
          if (isStarted(parsed)) resolve(parsed);
          else reject(new Error(`the child printed ${line}`));
        }
      });
      child.once('exit', (code) => reject(new Error(`the child exited (${code}) before its cluster started:\n${stderr}`)));
    });
    expect(running(started.cluster.pid)).toBe(true);
    expect(existsSync(started.cluster.dir)).toBe(true);
    child.kill('SIGKILL');
    const deadline = Date.now() + WITHIN_MS;
    while ((running(started.cluster.pid) || existsSync(started.cluster.dir)) && Date.now() < deadline) await sleep(100);
    expect(running(started.cluster.pid)).toBe(false);
    expect(existsSync(started.cluster.dir)).toBe(false);
  }, 2 * WITHIN_MS);
});

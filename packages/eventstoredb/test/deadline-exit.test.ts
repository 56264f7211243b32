import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_UNDER_TEST } from './support/client-under-test.js';
import { startLoopbackEventStore, type LoopbackEventStoreServer } from './support/loopback-server.js';

// Calls that hit their deadline leave nothing behind that keeps a process alive: a child process calls a
// stalled server (here) through the adapter, closes the connection, and must then exit on its own.

const DEADLINE_MS = 300;
/** Starting tsx and loading the client take a few seconds on a busy machine. */
const EXIT_WITHIN_MS = 20_000;

/**
 * KurrentDB's client reads through its native bridge, which has no way to cancel a read and gives it no
 * deadline: a read abandoned at the deadline stays pending until the server answers or the connection
 * fails (measured: a frozen server process is detected within seconds), and keeps the process alive until
 * then. Those reads are left out for that client (documented in docs/eventstoredb.md).
 */
const CALLS =
  CLIENT_UNDER_TEST === 'kurrentdb' ? ['append', 'deleteStream', 'subscribeToAll'] : ['readStream', 'readAll', 'append', 'deleteStream', 'subscribeToAll'];

interface ChildRun {
  readonly code: number | null;
  readonly lines: ReadonlyArray<string>;
  readonly stderr: string;
}

const runChild = (url: string): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const require = createRequire(import.meta.url);
    const child = spawn(
      process.execPath,
      [require.resolve('tsx/cli'), '--conditions=@message-center/source', fileURLToPath(new URL('./support/stalled-calls-child.ts', import.meta.url))],
      {
        env: { ...process.env, MC_STALLED_URL: url, MC_STALLED_CALLS: CALLS.join(','), MC_STALLED_DEADLINE_MS: String(DEADLINE_MS) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child did not exit within ${EXIT_WITHIN_MS} ms; it printed:\n${stdout}\n${stderr}`));
    }, EXIT_WITHIN_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: stdout.split('\n').filter((line) => line !== ''), stderr });
    });
  });

describe(`a process whose calls to a stalled server timed out exits once the connection is closed (${CLIENT_UNDER_TEST} client)`, () => {
  let server: LoopbackEventStoreServer;

  beforeAll(async () => {
    server = await startLoopbackEventStore({ stall: ['Read', 'BatchAppend', 'Tombstone'] });
  });

  afterAll(async () => {
    await server.stop();
  });

  it(`${CALLS.join(', ')}: store-unavailable within the deadline, then the process ends by itself`, async () => {
    const run = await runChild(server.connectionString);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.lines.at(-1)).toBe('closed');
    const results = run.lines.slice(0, -1).map((line): unknown => JSON.parse(line));
    expect(results).toHaveLength(CALLS.length);
    for (const call of CALLS) expect(results).toContainEqual({ call, code: 'store-unavailable', ms: expect.any(Number) });
    for (const result of results) expect(result).toMatchObject({ ms: expect.toSatisfy((ms: number) => ms >= DEADLINE_MS - 10 && ms < DEADLINE_MS + 1_500) });
    expect(server.stalled.Read + server.stalled.BatchAppend + server.stalled.Tombstone).toBeGreaterThanOrEqual(CALLS.length);
  }, EXIT_WITHIN_MS + 5_000);
});

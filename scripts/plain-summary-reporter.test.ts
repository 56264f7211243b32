import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Runs a real Vitest, in a child process, on a few throwaway test files with only the plain reporter, and
 * reads the line it ends with. A child process keeps the nested run's state out of this one.
 */

const VITEST = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const REPORTER = fileURLToPath(new URL('./plain-summary-reporter.ts', import.meta.url));

// `globals` spares the throwaway files an import of `vitest`, which a folder under /tmp could not resolve.
const CONFIG = `export default { test: { globals: true, include: ['*.test.mjs'], reporters: [${JSON.stringify(REPORTER)}] } };\n`;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
}

const folders: Array<string> = [];

const runVitest = async (files: Readonly<Record<string, string>>): Promise<Run> => {
  const dir = await mkdtemp(join(tmpdir(), 'plain-reporter-'));
  folders.push(dir);
  await writeFile(join(dir, 'vitest.config.mjs'), CONFIG);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  // The outer run's VITEST* variables would make the child think it is a worker of this run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [VITEST, 'run', '--config', 'vitest.config.mjs'], { cwd: dir, env: { ...env, NO_COLOR: '1' } }, (error, stdout) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : Number(error.code), stdout });
    });
  });
};

const plainLine = (run: Run): string | undefined => run.stdout.split('\n').find((line) => line.startsWith('tests: '));

const PASSES = "it('passes', () => {});\n";

describe('the plain summary line', () => {
  let broken: Run;
  let hooks: Run;
  beforeAll(async () => {
    [broken, hooks] = await Promise.all([
      runVitest({ 'ok.test.mjs': PASSES, 'broken.test.mjs': "throw new Error('boom at import');\n" }),
      runVitest({
        'hook.test.mjs': "describe('s', () => { beforeAll(() => { throw new Error('hook boom'); }); it('x', () => {}); });\n",
        'leak.test.mjs':
          "it('leaks', async () => { setTimeout(() => { throw new Error('late boom'); }, 1); await new Promise((r) => setTimeout(r, 50)); });\n",
      }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('counts a test file that fails to load as failed, and names it', () => {
    expect(plainLine(broken)).toBe('tests: 1 passed, 1 failed, 0 skipped');
    expect(broken.stdout).toContain('failed to load: broken.test.mjs (boom at import)');
    expect(broken.code).toBe(1);
  });

  it("counts a suite's failed hook and an unhandled error as failed", () => {
    expect(plainLine(hooks)).toBe('tests: 1 passed, 2 failed, 1 skipped');
    expect(hooks.stdout).toContain('suite failed outside its tests: hook.test.mjs > s (hook boom)');
    expect(hooks.stdout).toContain('unhandled error: late boom');
    expect(hooks.code).toBe(1);
  });
});

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { installConsumerProject, type ConsumerProject } from './support/consumer-project.js';
import { run } from './support/run.js';

// The packages as a service installs them: packed tarballs, installed by npm into a project outside the
// workspace, then imported, required and type-checked with nothing of the workspace around them.
let project: ConsumerProject | undefined;
const consumer = (): ConsumerProject => {
  if (project === undefined) throw new Error('the consumer project was not installed (see the beforeAll error)');
  return project;
};

beforeAll(() => {
  project = installConsumerProject(inject('tarballDir'));
});
afterAll(() => project?.dispose());

const node = (file: string) => run(process.execPath, [file], consumer().dir);
// The workspace's own TypeScript compiler, pointed at the consumer's tsconfig (it resolves from the consumer's node_modules).
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

describe('a consumer of the packed packages', () => {
  test('installs no workspace link: every package is a real folder in its node_modules', () => {
    for (const name of ['core', 'testing', 'eventstoredb', 'twilio'])
      expect(existsSync(join(consumer().dir, 'node_modules', '@message-center', name, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(consumer().dir, 'node_modules', '@message-center', 'core', 'test'))).toBe(false);
  });

  test('imports every package as ES modules and runs the scenario (enable, record, send, STOP, inbox)', () => {
    const result = node('esm.mjs');
    expect(result.output).toContain('scenario passed');
    expect(result.status).toBe(0);
  });

  test('requires them from CommonJS and runs the same scenario', () => {
    const result = node('cjs.cjs');
    expect(result.output).toContain('scenario passed');
    expect(result.status).toBe(0);
  });

  test('loads the EventStoreDB adapter with neither EventStoreDB client installed (both are optional peers)', () => {
    expect(existsSync(join(consumer().dir, 'node_modules', '@eventstore', 'db-client'))).toBe(false);
    expect(existsSync(join(consumer().dir, 'node_modules', '@kurrent', 'kurrentdb-client'))).toBe(false);
  });

  test.each(['nodenext', 'bundler'])('type-checks a consumer under moduleResolution %s', (resolution) => {
    const result = run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], consumer().dir);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});

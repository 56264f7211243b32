import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOrThrow } from './run.js';

const FIXTURES = fileURLToPath(new URL('../consumer/', import.meta.url));

export interface ConsumerProject {
  readonly dir: string;
  readonly dispose: () => void;
}

/**
 * A project outside the workspace that installs the packed tarballs with plain npm: no workspace links, no
 * custom export conditions, the packages' dependencies from the registry as a user gets them.
 */
export const installConsumerProject = (tarballDir: string): ConsumerProject => {
  const dir = mkdtempSync(join(tmpdir(), 'mc-consumer-'));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'mc-consumer', private: true, type: 'module' }, null, 2)}\n`);
  for (const file of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, file), join(dir, file));
  const tarballs = readdirSync(tarballDir)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => join(tarballDir, f));
  // @types/node as every Node service in TypeScript has it: the Twilio package's declarations name node:http.
  runOrThrow('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, '@types/node@^20.19'], dir);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
};

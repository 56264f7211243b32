import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packageDir, PUBLISHED_PACKAGES } from '../../../scripts/packages.js';
import { pnpm } from './run.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder holding one `.tgz` per published package, freshly built by `pnpm pack` (its `prepack` builds). */
    tarballDir: string;
  }
}

/** Packs every published package once per run, so the API report and the consumer tests read the same fresh build. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'mc-tarballs-'));
  for (const name of PUBLISHED_PACKAGES) pnpm(['pack', '--pack-destination', dir], packageDir(name));
  const packed = readdirSync(dir).filter((f) => f.endsWith('.tgz'));
  if (packed.length !== PUBLISHED_PACKAGES.length) throw new Error(`expected ${PUBLISHED_PACKAGES.length} tarballs in ${dir}, found: ${packed.join(', ')}`);
  project.provide('tarballDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

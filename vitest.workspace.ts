import { defineConfig } from 'vitest/config';

// Vitest 4 no longer reads a workspace file on its own: this file IS the root config, passed with
// `--config vitest.workspace.ts` by the root scripts. Each package is one project; packages resolve each
// other's TypeScript sources through the `@message-center/source` export condition.
// Vite's server-side defaults, with our source condition first (tests run on the server side).
const conditions = ['@message-center/source', 'module', 'node', 'development|production'];
const project = (name: string) => ({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@message-center/source'] } },
  test: {
    name,
    root: `./packages/${name}`,
    include: ['{src,test}/**/*.test.ts'],
    setupFiles: [new URL('./scripts/fast-check-setup.ts', import.meta.url).pathname],
  },
});

export default defineConfig({
  test: {
    // A run that collects no test is a broken run, not a green one.
    passWithNoTests: false,
    reporters: ['default', './scripts/plain-summary-reporter.ts'],
    projects: [project('core'), project('testing'), project('eventstoredb'), project('twilio')],
  },
});

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
    include: ['test/**/*.test.ts'],
    setupFiles: [new URL('./scripts/fast-check-setup.ts', import.meta.url).pathname],
  },
});

// The EventStoreDB adapter runs once per client (`@kurrent/kurrentdb-client`, `@eventstore/db-client`),
// chosen by MC_ESDB_CLIENT. The two clients must never share a process (their protobuf classes share one
// global namespace: issue 9), so every test file gets its own forked process (`forks`, `isolate`).
const eventStoreDbProject = (client: 'kurrentdb' | 'eventstore-db', label: string) => {
  const base = project('eventstoredb');
  return { ...base, test: { ...base.test, name: `eventstoredb (${label})`, env: { MC_ESDB_CLIENT: client }, pool: 'forks' as const, isolate: true } };
};

export default defineConfig({
  test: {
    // A run that collects no test is a broken run, not a green one.
    passWithNoTests: false,
    reporters: ['default', './scripts/plain-summary-reporter.ts'],
    projects: [
      project('core'),
      project('testing'),
      eventStoreDbProject('kurrentdb', 'kurrentdb-client'),
      eventStoreDbProject('eventstore-db', 'db-client'),
      project('twilio'),
      // PostgreSQL (issue 15): DATABASE_URL, or a throwaway cluster that the global setup starts and stops.
      { ...project('postgres'), test: { ...project('postgres').test, globalSetup: ['./test/support/global-cluster.ts'] } },
      // The web inbox example (issue 16) in a real headless Chromium: Debian's chromium, or CHROMIUM_PATH.
      {
        resolve: { conditions },
        ssr: { resolve: { conditions, externalConditions: ['@message-center/source'] } },
        test: {
          name: 'web-inbox',
          root: './examples/web-inbox',
          include: ['test/**/*.test.ts'],
          // One test runs the read models on PostgreSQL: the postgres project's throwaway cluster (or DATABASE_URL).
          globalSetup: ['../../packages/postgres/test/support/global-cluster.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      // The repository's own tooling (the plain summary reporter); it imports no package.
      { test: { name: 'scripts', root: './scripts', include: ['*.test.ts'] } },
      // The packages as a service installs them: packed (which builds them), installed with plain npm outside
      // the workspace, imported, required and type-checked; and their public API against the committed reports.
      {
        test: {
          name: 'packaging',
          root: './test/packaging',
          include: ['**/*.test.ts'],
          globalSetup: ['./support/global-pack.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

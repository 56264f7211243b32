import type { TestProject } from 'vitest/node';
import { serverForTests } from './cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the PostgreSQL the tests use (DATABASE_URL, or the throwaway cluster's superuser); see fresh-database.ts. */
    databaseUrl: string;
  }
}

/**
 * One PostgreSQL for the whole run of the postgres project: DATABASE_URL, or a throwaway cluster started
 * here and stopped by the returned teardown, which Vitest calls whether the tests passed or failed.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await serverForTests(process.env);
  project.provide('databaseUrl', server.url);
  return server.stop;
}

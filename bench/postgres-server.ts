/**
 * The PostgreSQL the postgres bench runs against: `DATABASE_URL` when set, else a throwaway cluster started
 * by packages/postgres's test support (`test/support/cluster.ts`, which needs no Vitest): initdb into a temp
 * dir, `postgres` on a free loopback port, as the `postgres` system user under root, with `fsync=off`,
 * `synchronous_commit=off` and `full_page_writes=off` (no durability: a bench's throwaway data), the other
 * settings PostgreSQL's defaults. The bench works in a database of its own, dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { describeUrl, startThrowawayCluster } from '../packages/postgres/test/support/cluster.js';

export { Pool };

export interface PoolSettings {
  readonly connectionString: string;
  readonly max?: number;
  readonly application_name?: string;
}


/** A pool whose idle connections the server ends are not an uncaught error. */
export const newPool = (settings: PoolSettings): Pool => {
  const pool = new Pool(settings);
  pool.on('error', () => undefined);
  return pool;
};

export interface BenchDatabase {
  /** The bench's own database on the server. */
  readonly url: string;
  /** What it runs on, for the output (no password). */
  readonly server: string;
  /** The throwaway cluster's postmaster pid (its backends are its children); null for DATABASE_URL's server. */
  readonly postmasterPid: number | null;
  /** The throwaway cluster's log files (the server's own log, where `log_min_duration_statement` writes); empty for DATABASE_URL. */
  readonly serverLogs: () => ReadonlyArray<string>;
  /** Sets a parameter for the sessions that connect to the bench's database from now on (`ALTER DATABASE … SET`). */
  readonly setForNewSessions: (parameter: string, value: string) => Promise<void>;
  /** Drops the database and stops the cluster (if the bench started one). Never rejects. */
  readonly close: () => Promise<void>;
}

const withDatabase = (url: string, database: string): string => {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
};

const onServer = async (url: string, sql: string): Promise<string> => {
  const pool = newPool({ connectionString: url, max: 1 });
  try {
    const result = await pool.query(sql);
    const first: unknown = result.rows[0];
    return typeof first === 'object' && first !== null && 'v' in first ? String(first.v) : '';
  } finally {
    await pool.end();
  }
};

/**
 * The throwaway server sized as an operator sizes one for read models of this size: PostgreSQL's defaults
 * (128 MB of shared buffers, 1 GB of WAL between checkpoints) are for a small machine, and at 100,000
 * conversations the tables and indexes hold ~3 GB. `BENCH_PG_SETTINGS` (space-separated `name=value`, `''` for
 * the defaults) replaces them.
 */
const SERVER_SETTINGS: ReadonlyArray<string> = (process.env['BENCH_PG_SETTINGS'] ?? 'shared_buffers=4GB max_wal_size=8GB').split(/\s+/).filter((s) => s !== '');

/** Starts (or finds) the server and creates the bench's database on it. */
export const benchDatabase = async (): Promise<BenchDatabase> => {
  const external = process.env['DATABASE_URL'];
  const cluster = external === undefined || external === '' ? await startThrowawayCluster(process.env, SERVER_SETTINGS) : null;
  const serverUrl = cluster?.url ?? external ?? '';
  const stop = async (): Promise<void> => {
    await cluster?.stop().catch((error: unknown) => console.error(`  stopping the bench's PostgreSQL: ${String(error)}`));
  };
  try {
    const version = await onServer(serverUrl, 'SELECT version() AS v');
    const name = `mc_bench_${randomBytes(6).toString('hex')}`;
    await onServer(serverUrl, `CREATE DATABASE ${name}`);
    const where =
      cluster === null
        ? `DATABASE_URL ${describeUrl(serverUrl)}`
        : `a throwaway cluster (pid ${cluster.cluster?.pid ?? '?'}, fsync=off, synchronous_commit=off, full_page_writes=off, ${SERVER_SETTINGS.join(', ') || 'no other setting'}, the rest default)`;
    return {
      url: withDatabase(serverUrl, name),
      server: `${version.split(' on ')[0] ?? version} — ${where}`,
      postmasterPid: cluster?.cluster?.pid ?? null,
      serverLogs: () => {
        const dir = cluster?.cluster?.dir;
        if (dir === undefined) return [];
        try {
          return readdirSync(dir)
            .filter((f) => f.endsWith('.log'))
            .map((f) => join(dir, f));
        } catch {
          return [];
        }
      },
      setForNewSessions: async (parameter, value) => {
        await onServer(serverUrl, `ALTER DATABASE ${name} SET ${parameter} = ${value}`);
      },
      close: async () => {
        await onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((error: unknown) => console.error(`  dropping ${name}: ${String(error)}`));
        await stop();
      },
    };
  } catch (error: unknown) {
    await stop();
    throw error;
  }
};

/** CPU seconds (user + system) of the postmaster and each of its children by pid, from /proc; empty where /proc is not readable. */
export const serverCpu = (postmasterPid: number | null): ReadonlyMap<number, number> => {
  const cpu = new Map<number, number>();
  if (postmasterPid === null) return cpu;
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return cpu;
  }
  for (const pid of pids) {
    try {
      // Fields after the command's closing parenthesis: state ppid … utime (14th field) stime (15th).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      if (Number(pid) !== postmasterPid && ppid !== postmasterPid) continue;
      cpu.set(Number(pid), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // gone meanwhile
    }
  }
  return cpu;
};

/** CPU seconds the server spent between two `serverCpu` readings (a process that appeared counts from zero). */
export const cpuBetween = (before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number => {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
};

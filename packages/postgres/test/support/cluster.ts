import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, closeSync, constants, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

// The PostgreSQL the tests run against: the server named by DATABASE_URL, or a throwaway cluster started
// here from the machine's server binaries (initdb into a fresh temp dir, `postgres` on a free loopback
// port) and removed afterwards. Tests never mock the database, so when neither is available the setup
// fails, saying what to install or set.

const run = promisify(execFile);

/** The server the tests use, and how to let go of it once they are done. */
export interface TestServer {
  /** DATABASE_URL, or the cluster's superuser on its `postgres` database: tests create their own databases from it. */
  readonly url: string;
  /** The throwaway cluster's temp dir and postmaster pid; null for DATABASE_URL's server. */
  readonly cluster: { readonly dir: string; readonly pid: number } | null;
  readonly stop: () => Promise<void>;
}

/** The URL without its password, for messages. */
export const describeUrl = (url: string): string => url.replace(/(\/\/[^:/@]*):[^@/]*@/, '$1:***@');

const MAINTENANCE_DATABASE = 'postgres';
const SUPERUSER = 'postgres';
const READY_WITHIN_MS = 30_000;
const STOP_WITHIN_MS = 30_000;
const BIND_ATTEMPTS = 5;

const INSTALL_HINT =
  'Install the PostgreSQL server (Debian/Ubuntu: `apt-get install postgresql-15 postgresql-contrib`), ' +
  'or set PG_BIN to the directory holding initdb and postgres, ' +
  'or set DATABASE_URL to a PostgreSQL 13+ server whose user may create databases (and the unaccent and pg_trgm extensions).';

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const hasServer = (dir: string): boolean => isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'postgres'));

/** Where to look for the server binaries besides PG_BIN; tests point these at nothing to see the failure. */
export interface BinarySearch {
  /** Debian's layout: one <root>/<major>/bin per installed major version; the highest wins. */
  readonly debianRoot: string;
  /** The pg_config to ask for --bindir (it may come from libpq-dev alone, with no server beside it). */
  readonly pgConfig: string;
}

const MACHINE_SEARCH: BinarySearch = { debianRoot: '/usr/lib/postgresql', pgConfig: 'pg_config' };

const debianBinDirs = (root: string): ReadonlyArray<string> => {
  try {
    return readdirSync(root)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a))
      .map((major) => join(root, major, 'bin'));
  } catch {
    return [];
  }
};

const pgConfigBinDir = async (pgConfig: string): Promise<string | null> => {
  try {
    return (await run(pgConfig, ['--bindir'])).stdout.trim();
  } catch {
    return null;
  }
};

/** Where initdb and postgres are: PG_BIN, else the highest /usr/lib/postgresql/<major>/bin, else `pg_config --bindir`. */
export const findServerBinaries = async (env: NodeJS.ProcessEnv, search: BinarySearch = MACHINE_SEARCH): Promise<string> => {
  const explicit = env['PG_BIN'];
  if (explicit !== undefined && explicit !== '') {
    if (hasServer(explicit)) return explicit;
    throw new Error(`PG_BIN=${explicit} holds no executable initdb and postgres. ${INSTALL_HINT}`);
  }
  const debian = debianBinDirs(search.debianRoot).find(hasServer);
  if (debian !== undefined) return debian;
  const fromPgConfig = await pgConfigBinDir(search.pgConfig);
  if (fromPgConfig !== null && hasServer(fromPgConfig)) return fromPgConfig;
  throw new Error(
    `No PostgreSQL server binaries found and DATABASE_URL is not set: looked in PG_BIN (unset), ${search.debianRoot}/*/bin ` +
      `and ${search.pgConfig} --bindir (${fromPgConfig ?? 'not found'}). ${INSTALL_HINT}`,
  );
};

/** The OS user to run initdb and postgres as: they refuse root, so as root the `postgres` system user; else ourselves (null). */
interface OsUser {
  readonly uid: number;
  readonly gid: number;
}

const serverUser = async (): Promise<OsUser | null> => {
  if (process.getuid?.() !== 0) return null;
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', SUPERUSER]), run('id', ['-g', SUPERUSER])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new Error(
      `The tests run as root, and initdb and postgres refuse to: they run as the '${SUPERUSER}' system user, which does not exist. ` +
        `Create it (the Debian package postgresql-15 does), run the tests as another user, or set DATABASE_URL.`,
    );
  }
};

/** A port the OS just handed out on loopback. Another process may take it before postgres binds: the caller retries. */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address !== null && typeof address === 'object' ? address.port : null;
      server.close(() => (port === null ? reject(new Error('the OS gave no port')) : resolve(port)));
    });
  });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const tail = (path: string): string => {
  try {
    return readFileSync(path, 'utf8').slice(-2000);
  } catch {
    return '(no log)';
  }
};

const urlOf = (port: number): string => `postgresql://${SUPERUSER}@127.0.0.1:${port}/${MAINTENANCE_DATABASE}`;

/** Whether the server answers a query; "starting up" and "connection refused" both mean not yet. */
const accepts = async (url: string): Promise<boolean> => {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
};

interface Postmaster {
  readonly process: ChildProcess;
  readonly exited: Promise<void>;
  readonly hasExited: () => boolean;
}

const startPostmaster = (binDir: string, dir: string, port: number, user: OsUser | null, logPath: string, extraSettings: ReadonlyArray<string>): Postmaster => {
  // Loopback only; the socket in our temp dir (never /var/run/postgresql); durability off: a throwaway cluster.
  const args = ['-D', join(dir, 'data'), '-h', '127.0.0.1', '-p', String(port), '-k', dir];
  const settings = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', ...extraSettings].flatMap((setting) => ['-c', setting]);
  // Its output goes to a file, not a pipe: the server outlives a crashed test run until the watchdog stops it.
  const log = openSync(logPath, 'a');
  try {
    const child = spawn(join(binDir, 'postgres'), [...args, ...settings], {
      cwd: dir,
      stdio: ['ignore', log, log],
      env: { ...process.env, LC_ALL: 'C' },
      ...(user ?? {}),
    });
    let hasExited = false;
    const exited = new Promise<void>((resolve) => {
      const done = (): void => {
        hasExited = true;
        resolve();
      };
      child.once('exit', done);
      // A binary that cannot be spawned emits 'error' and never 'exit'.
      child.once('error', done);
    });
    return { process: child, exited, hasExited: () => hasExited };
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(log);
  }
};

/** Waits until the server answers, or until it exits (the caller reads the log); throws on timeout. */
const waitUntilReady = async (postmaster: Postmaster, url: string, logPath: string): Promise<'ready' | 'exited'> => {
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (postmaster.hasExited()) return 'exited';
    if (await accepts(url)) return 'ready';
    await sleep(100);
  }
  throw new Error(`PostgreSQL did not accept connections within ${READY_WITHIN_MS / 1000} s at ${url}. Its log:\n${tail(logPath)}`);
};

/** SIGINT is postgres's fast shutdown: it ends the sessions, checkpoints and exits. */
const stopPostmaster = async (postmaster: Postmaster): Promise<void> => {
  if (postmaster.hasExited()) return;
  postmaster.process.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    postmaster.exited.then(() => false),
    new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), STOP_WITHIN_MS);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    postmaster.process.kill('SIGKILL');
    await postmaster.exited;
  }
};

/**
 * Stops the cluster if the test run dies without its teardown (a crash, SIGKILL, Ctrl-C): a detached shell
 * that blocks reading a pipe from this process. The OS closes the pipe when this process exits however it
 * exits; the shell then sends postgres SIGINT (only if postmaster.pid still names it, so a reused pid is
 * never signalled), waits, and removes the temp dir. The normal teardown stops postgres and removes the dir
 * itself, then kills the shell.
 */
const WATCHDOG = `
while read -r _; do :; done
pidfile="$2/data/postmaster.pid"
if [ -f "$pidfile" ] && [ "$(head -n 1 "$pidfile")" = "$1" ]; then
  kill -INT "$1" 2>/dev/null
  i=0
  while kill -0 "$1" 2>/dev/null && [ "$i" -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
  kill -KILL "$1" 2>/dev/null
fi
rm -rf "$2"
`;

const startWatchdog = (pid: number, dir: string): ChildProcess => {
  const watchdog = spawn('sh', ['-c', WATCHDOG, 'mc-postgres-watchdog', String(pid), dir], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  // Neither the shell nor its pipe keeps the test run alive; the pipe closes when the run exits.
  watchdog.unref();
  if (watchdog.stdin instanceof Socket) watchdog.stdin.unref();
  return watchdog;
};

/** initdb into a fresh temp dir, then postgres on a free loopback port (retried when another process took the port first). */
/** `extraSettings`: more `name=value` server settings (the bench sizes its buffers with them). */
export const startThrowawayCluster = async (env: NodeJS.ProcessEnv, extraSettings: ReadonlyArray<string> = []): Promise<TestServer> => {
  const binDir = await findServerBinaries(env);
  const user = await serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'mc-pg-'));
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    if (user !== null) chownSync(dir, user.uid, user.gid);
    await run(
      join(binDir, 'initdb'),
      ['-D', join(dir, 'data'), '-A', 'trust', '-U', SUPERUSER, '-E', 'UTF8', '--locale=C', '--no-sync'],
      { cwd: dir, env: { ...process.env, LC_ALL: 'C' }, ...(user ?? {}) },
    ).catch((error: unknown) => {
      const stderr = typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr) : String(error);
      throw new Error(`initdb (${binDir}) failed: ${stderr}`);
    });
    for (let attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
      // One log per attempt, so a lost race of an earlier attempt is not read as this one's.
      const logPath = join(dir, `postgres-${attempt}.log`);
      const port = await freePort();
      const url = urlOf(port);
      const postmaster = startPostmaster(binDir, dir, port, user, logPath, extraSettings);
      const pid = postmaster.process.pid;
      if (pid === undefined) throw new Error(`${join(binDir, 'postgres')} could not be started. Its log:\n${tail(logPath)}`);
      const watchdog = startWatchdog(pid, dir);
      // Stops this attempt's postgres; the watchdog goes last, so a crash in between still leaves it on guard.
      const stopAttempt = async (): Promise<void> => {
        await stopPostmaster(postmaster);
        watchdog.kill('SIGKILL');
      };
      const outcome = await waitUntilReady(postmaster, url, logPath).catch(async (error: unknown) => {
        await stopAttempt();
        throw error;
      });
      if (outcome === 'ready') {
        return {
          url,
          cluster: { dir, pid },
          stop: async () => {
            await stopPostmaster(postmaster);
            removeDir();
            watchdog.kill('SIGKILL');
          },
        };
      }
      await stopAttempt();
      const log = tail(logPath);
      if (!/could not bind|could not create any TCP\/IP sockets/.test(log)) throw new Error(`PostgreSQL (${binDir}) exited at start-up. Its log:\n${log}`);
    }
    throw new Error(`PostgreSQL lost the race for a free loopback port ${BIND_ATTEMPTS} times in a row.`);
  } catch (error: unknown) {
    removeDir();
    throw error;
  }
};

/** A server the caller named: checked once, never stopped by us. */
const externalServer = async (url: string): Promise<TestServer> => {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`DATABASE_URL=${describeUrl(url)} does not answer: ${reason.split(url).join(describeUrl(url))}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  return { url, cluster: null, stop: async () => undefined };
};

/** DATABASE_URL when set, else a throwaway cluster. */
export const serverForTests = (env: NodeJS.ProcessEnv): Promise<TestServer> => {
  const url = env['DATABASE_URL'];
  return url !== undefined && url !== '' ? externalServer(url) : startThrowawayCluster(env);
};

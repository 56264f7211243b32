/**
 * The web inbox as a host process, started as a user starts it (`tsx --conditions=@message-center/source
 * main.ts` in examples/web-inbox, configured by the environment), for the tests of several instances.
 *
 * tsx runs main.ts in a child process of its own, so killing the tsx process alone can leave main.ts
 * running. Each inbox therefore gets a process group (`detached`), and whatever is left of a group is
 * killed with it: by `stop`, by `killAll` (an afterEach, for a test that timed out before its `finally`),
 * when the test process exits, and, by a watchdog shell per group, when it is killed by a signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';

const TSX = new URL('../../../../node_modules/.bin/tsx', import.meta.url).pathname;
const WEB_INBOX = new URL('../../', import.meta.url).pathname;
/** tsx compiles, esbuild bundles the page, the read models migrate and the salon is seeded: on 2 slow cores. */
const START_TIMEOUT_MS = 45_000;
/** main.ts closes the server, the projection runners and the store's connection on SIGTERM. */
const STOP_GRACE_MS = 10_000;
const STRAY_GRACE_MS = 2_000;

export interface InboxExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** SIGTERM was not enough: the group was killed with SIGKILL. */
  readonly forced: boolean;
  /** Something of the group (main.ts under tsx, esbuild's service) still ran a moment after tsx exited. */
  readonly strays: boolean;
}

export interface InboxProcess {
  /** From the "open http://…" line main.ts prints once it listens. */
  readonly url: string;
  /** The whole line: it names the store and the read models the process runs on. */
  readonly banner: string;
  /** Its standard error so far (the last 64 KiB). */
  readonly stderr: () => string;
  /** SIGTERM as a user or a supervisor sends it, then SIGKILL to the group after a grace period. */
  readonly stop: () => Promise<InboxExit>;
}

/** Each running group, and its watchdog (below). */
const groups = new Map<number, ChildProcess>();

// A test process killed by a signal runs no `exit` handler: a shell per group waits for the end of a pipe from
// this process (the kernel closes it whatever kills us), then kills the group. A group stopped normally has its
// watchdog stopped first, so a process-group id reused later is never signalled.
const WATCHDOG = 'while read -r _; do :; done; kill -KILL -- "-$1" 2>/dev/null';

const startWatchdog = (pgid: number): ChildProcess => {
  const watchdog = spawn('sh', ['-c', WATCHDOG, 'mc-web-inbox-watchdog', String(pgid)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  // Neither the shell nor its pipe keeps the test run alive.
  watchdog.unref();
  if (watchdog.stdin instanceof Socket) watchdog.stdin.unref();
  return watchdog;
};

/** The group is done with: its watchdog goes (before anything could reuse the id), and it is forgotten. */
const forget = (pgid: number): void => {
  groups.get(pgid)?.kill('SIGKILL');
  groups.delete(pgid);
};

/**
 * Whether a process of the group still runs. Read from /proc (Linux, as the browser tests): a member that
 * has exited but whose parent (init, for the orphaned esbuild service) has not reaped it yet is a zombie,
 * which `kill(-pgid, 0)` would still count.
 */
const groupRuns = (pgid: number): boolean => {
  const entries = readdirSync('/proc').filter((name) => /^[0-9]+$/.test(name));
  return entries.some((pid) => {
    try {
      // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return pgrp === String(pgid) && state !== 'Z';
    } catch {
      return false; // It exited while we looked.
    }
  });
};

/** True once no process of the group runs; false if one still does after `ms`. */
const groupEnds = async (pgid: number, ms: number): Promise<boolean> => {
  const deadline = Date.now() + ms;
  while (groupRuns(pgid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
};

const killGroup = (pgid: number): void => {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Already gone.
  }
};

/** Kills every inbox group still running (for an afterEach: a test that timed out never ran its `finally`). */
export const killAll = (): void => {
  for (const pgid of [...groups.keys()]) {
    killGroup(pgid);
    forget(pgid);
  }
};
process.on('exit', killAll);

const tail = (text: string): string => text.slice(-65_536);

/**
 * Starts main.ts with exactly `env` on top of PATH and HOME (none of the test process's variables, so an
 * unset DATABASE_URL is unset), and resolves once it prints where it listens.
 */
export const startInboxProcess = (name: string, env: Readonly<Record<string, string>>): Promise<InboxProcess> => {
  const child = spawn(TSX, ['--conditions=@message-center/source', 'main.ts'], {
    cwd: WEB_INBOX,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pgid = child.pid;
  if (pgid === undefined) return Promise.reject(new Error(`${name}: could not start ${TSX}`));
  groups.set(pgid, startWatchdog(pgid));

  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  // Read both to the end, always: a full pipe would block the process.
  child.stdout.on('data', (chunk: string) => {
    stdout = tail(stdout + chunk);
  });
  child.stderr.on('data', (chunk: string) => {
    stderr = tail(stderr + chunk);
  });
  // 'close' comes once every process holding the pipes (tsx and main.ts under it) has gone.
  const closed = new Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  let exited = false;
  void closed.then(() => {
    exited = true;
  });

  const stop = async (): Promise<InboxExit> => {
    if (!exited) child.kill('SIGTERM');
    const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), STOP_GRACE_MS).unref());
    const first = await Promise.race([closed, timer]);
    const forced = first === 'late';
    if (forced) killGroup(pgid);
    const { code, signal } = await closed;
    // esbuild's service process (tsx's and the page bundler's) ends when its parent's pipe closes: soon after.
    const strays = !(await groupEnds(pgid, STRAY_GRACE_MS));
    if (strays) killGroup(pgid);
    forget(pgid);
    return { code, signal, forced, strays };
  };

  return new Promise<InboxProcess>((resolve, reject) => {
    const give = (problem: string): void => {
      clearInterval(watch);
      killGroup(pgid);
      forget(pgid);
      reject(new Error(`${name}: ${problem}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
    };
    const deadline = Date.now() + START_TIMEOUT_MS;
    const watch = setInterval(() => {
      const banner = stdout.split('\n').find((line) => / open http:\/\/\S+/.test(line));
      const url = banner?.match(/ open (http:\/\/\S+)/)?.[1];
      if (banner !== undefined && url !== undefined) {
        clearInterval(watch);
        resolve({ url, banner, stderr: () => stderr, stop });
      } else if (exited) give('exited before it listened');
      else if (Date.now() > deadline) give(`printed no URL within ${START_TIMEOUT_MS} ms`);
    }, 50);
  });
};

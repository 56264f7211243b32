import { spawnSync } from 'node:child_process';

export interface RunResult {
  readonly status: number | null;
  readonly output: string;
}

/** The environment without npm/pnpm's own `npm_*` settings, which would leak the workspace into a plain npm run. */
export const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));

export const run = (command: string, args: ReadonlyArray<string>, cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): RunResult => {
  const result = spawnSync(command, [...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error === undefined ? '' : String(result.error)}`;
  return { status: result.status, output };
};

/** Throws with the command's output when it fails, so a test's failure says what went wrong. */
export const runOrThrow = (command: string, args: ReadonlyArray<string>, cwd: string, env?: NodeJS.ProcessEnv): string => {
  const result = run(command, args, cwd, env);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${String(result.status)}:\n${result.output}`);
  return result.output;
};

/**
 * pnpm as the test run was started: the running pnpm when there is one (`npm_execpath`), else `npx -y pnpm@10`
 * as the README has it.
 */
export const pnpm = (args: ReadonlyArray<string>, cwd: string): string => {
  const execPath = process.env['npm_execpath'];
  return execPath !== undefined && /pnpm/.test(execPath)
    ? runOrThrow(process.execPath, [execPath, ...args], cwd, process.env)
    : runOrThrow('npx', ['-y', 'pnpm@10', ...args], cwd, process.env);
};

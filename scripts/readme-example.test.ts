/**
 * The README's example is what a new user runs first: it is `examples/readme/main.ts`, word for word, and it
 * does what its comment says.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const EXAMPLE = join(ROOT, 'examples', 'readme', 'main.ts');
const PRINT = '\nconsole.log(JSON.stringify(view));\n';

describe('the README example', () => {
  it('is examples/readme/main.ts (without the line that prints the answer)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = readFileSync(EXAMPLE, 'utf8');
    expect(example.endsWith(PRINT)).toBe(true);
    expect(readme).toContain('```ts\n' + example.slice(0, -PRINT.length) + '\n```');
  });

  it('runs and answers what its comment says: Ana unread with one message, opted out by STOP', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@message-center/source', '--import', 'tsx', EXAMPLE], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const view: unknown = JSON.parse(stdout);
    expect(view).toMatchObject({ _tag: 'Right', right: { folder: 'unread', unreadCount: 1, subscription: { status: 'unsubscribed', keyword: 'STOP' } } });
  }, 30_000);
});

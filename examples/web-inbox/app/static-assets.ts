/**
 * The page: one HTML file, one style sheet, and the browser code bundled from `client/` by esbuild when
 * the server starts (in memory, ~50 ms), so there is no build step to run or to forget.
 */
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

export interface Asset {
  readonly contentType: string;
  readonly body: string;
}

const here = new URL('..', import.meta.url);

export const loadAssets = async (): Promise<ReadonlyMap<string, Asset>> => {
  const bundled = await build({
    entryPoints: [new URL('client/main.ts', here).pathname],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  const script = bundled.outputFiles[0]?.text;
  if (script === undefined) throw new Error('esbuild produced no bundle for client/main.ts');
  const file = (name: string) => readFile(new URL(`public/${name}`, here), 'utf8');
  return new Map<string, Asset>([
    ['/', { contentType: 'text/html; charset=utf-8', body: await file('index.html') }],
    ['/style.css', { contentType: 'text/css; charset=utf-8', body: await file('style.css') }],
    ['/app.js', { contentType: 'text/javascript; charset=utf-8', body: script }],
  ]);
};

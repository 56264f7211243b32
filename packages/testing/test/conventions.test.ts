// One test file convention: every test file is collected by its name. A file that looks like a test but
// matches no project's `include` never runs, and nothing says so; this guard says so, naming the file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import config from '../../../vitest.workspace.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What Vitest or Jest would take for a test file by its name or folder. */
const looksLikeTest = (path: string): boolean =>
  /\.(test|spec)\.[cm]?[jt]sx?$/.test(path) || /(^|\/)__tests__\//.test(path);

/** The glob syntax the includes use here: `**`, `*`, `?`, `{a,b}`; any other syntax stops the guard rather than being misread. */
const globToRegExp = (glob: string): RegExp => {
  if (/[[\]!()+@]/.test(glob)) throw new Error(`the guard does not read the glob ${glob}: teach globToRegExp its syntax`);
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '{') {
      braces++;
      source += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (c === ',' && braces > 0) source += '|';
    else source += c.replace(/[.^$|{}\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
};

interface Project {
  readonly name: string;
  readonly root: string;
  readonly include: ReadonlyArray<RegExp>;
  readonly exclude: ReadonlyArray<RegExp>;
}

// Read from the root config itself, so the guard follows any change to the projects or their include.
const projects: ReadonlyArray<Project> = (config.test?.projects ?? []).map((entry, index) => {
  if (typeof entry !== 'object' || entry instanceof Promise || entry.test?.include === undefined) {
    throw new Error(`vitest.workspace.ts project #${index}: the guard reads inline projects with an explicit include`);
  }
  const { name, root, include, exclude } = entry.test;
  return {
    name: typeof name === 'string' ? name : `#${index}`,
    root: resolve(repoRoot, root ?? '.'),
    include: include.map(globToRegExp),
    exclude: (exclude ?? []).map(globToRegExp),
  };
});

/** Every file under `dir`, as an absolute path; dependencies, build output, coverage and dot-folders are not ours. */
const walk = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'coverage' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : entry.isFile() ? [path] : [];
  });

const posix = (path: string): string => path.split(sep).join('/');

const collectedBy = (file: string): ReadonlyArray<string> =>
  projects
    .filter((project) => {
      const path = posix(relative(project.root, file));
      if (path.startsWith('../')) return false;
      return project.include.some((re) => re.test(path)) && !project.exclude.some((re) => re.test(path));
    })
    .map((project) => project.name);

// The whole repository: the packages' tests and the root projects' (scripts, packaging) alike.
const testFiles = walk(repoRoot).filter((file) => looksLikeTest(posix(relative(repoRoot, file))));

/** A package's tests live in its own test/ folder (none in src/, which ships). */
const outsidePackageTests = (file: string): boolean => {
  const [top, name, folder] = posix(relative(repoRoot, file)).split('/');
  return top === 'packages' && name !== undefined && folder !== 'test';
};

describe('one test file convention', () => {
  it('the include globs read as Vitest reads them', () => {
    const re = globToRegExp('{src,test}/**/*.test.ts');
    expect(['test/a.test.ts', 'test/a/b/c.test.ts', 'src/x.test.ts'].every((p) => re.test(p))).toBe(true);
    expect(['test/a.spec.ts', 'lib/a.test.ts', 'test/a.test.tsx', 'xtest/a.test.ts'].some((p) => re.test(p))).toBe(false);
  });

  it('finds the projects and the test files (a guard that sees nothing proves nothing)', () => {
    expect(projects.length).toBeGreaterThan(0);
    expect(testFiles.length).toBeGreaterThan(0);
  });

  it('every file that looks like a test (*.test.*, *.spec.*, __tests__/) is collected by a project, from packages/<pkg>/test/', () => {
    const misplaced = testFiles.flatMap((file) => {
      const path = posix(relative(repoRoot, file));
      if (outsidePackageTests(file)) return [`${path}: a package's tests live in packages/<pkg>/test/, named *.test.ts`];
      return collectedBy(file).length === 0 ? [`${path}: no project of vitest.workspace.ts collects it (name it *.test.ts)`] : [];
    });
    expect(misplaced).toEqual([]);
  });

  it('no test file imports another test file (it would run twice, or only through its importer)', () => {
    const glue = testFiles.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:import|from)\s*\(?\s*['"]([^'"]+\.(?:test|spec)(?:\.[cm]?[jt]sx?)?)['"]/g)].map(
        (match) => `${posix(relative(repoRoot, file))} imports ${match[1] ?? ''}`,
      ),
    );
    expect(glue).toEqual([]);
  });
});

import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/**
 * Ends the run with one plain line, `tests: N passed, N failed, N skipped`, that any CI can read,
 * and fails a run that executed no test at all.
 *
 * A test file that fails to load (an import that throws, a syntax error) has no test to count, so it counts
 * as one failed and is named; so does a file or suite whose own hooks failed (its tests are left skipped), and
 * each unhandled error of the run.
 * Otherwise a run with broken files would end on `0 failed`.
 */

export interface PlainSummary {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Extra lines after the plain one: the files that failed outside any test, the unhandled errors. */
  readonly notes: ReadonlyArray<string>;
}

const firstLine = (error: SerializedError): string => error.message.split('\n')[0] || error.name || 'error';

const because = (errors: ReadonlyArray<SerializedError>): string => (errors[0] === undefined ? '' : ` (${firstLine(errors[0])})`);

export const summarize = (testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): PlainSummary => {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const notes: Array<string> = [];
  for (const module of testModules) {
    let tests = 0;
    for (const test of module.children.allTests()) {
      tests += 1;
      const state = test.result().state;
      if (state === 'passed') passed += 1;
      else if (state === 'failed') failed += 1;
      else skipped += 1;
    }
    const file = `${module.project.name === '' ? '' : `[${module.project.name}] `}${module.relativeModuleId}`;
    // Errors of the file itself, outside any test: collection (import) failures and failed module hooks.
    const errors = module.errors();
    if (errors.length > 0 || (module.state() === 'failed' && tests === 0)) {
      failed += 1;
      notes.push(`${tests === 0 ? 'failed to load' : 'failed outside its tests'}: ${file}${because(errors)}`);
    }
    // A suite's failed beforeAll/afterAll leaves its tests skipped, not failed.
    for (const suite of module.children.allSuites()) {
      const suiteErrors = suite.errors();
      if (suiteErrors.length === 0) continue;
      failed += 1;
      notes.push(`suite failed outside its tests: ${file} > ${suite.fullName}${because(suiteErrors)}`);
    }
  }
  for (const error of unhandledErrors) {
    failed += 1;
    notes.push(`unhandled error: ${firstLine(error)}`);
  }
  return { passed, failed, skipped, notes };
};

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const { passed, failed, skipped, notes } = summarize(testModules, unhandledErrors);
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    for (const note of notes) process.stdout.write(`${note}\n`);
    if (passed + failed === 0) {
      process.stdout.write('no test was executed: failing the run\n');
      process.exitCode = 1;
    }
  }
}

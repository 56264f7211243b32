import { Extractor, ExtractorConfig, type ExtractorMessage } from '@microsoft/api-extractor';
import { join } from 'node:path';
import { packageDir, PUBLISHED_PACKAGES, type PublishedPackage } from './packages.js';

/**
 * Runs API Extractor over a built package's `dist/index.d.ts`. With `update`, the committed report
 * (`api/<package>.api.md`) is rewritten; without it, a changed public API is a failure, so every change of
 * an exported name or signature shows up in review as a diff of that file.
 */
export interface ApiReportResult {
  readonly packageName: PublishedPackage;
  readonly succeeded: boolean;
  readonly reportChanged: boolean;
  readonly problems: ReadonlyArray<string>;
}

export const runApiExtractor = (packageName: PublishedPackage, options: { readonly update: boolean }): ApiReportResult => {
  const config = ExtractorConfig.loadFileAndPrepare(join(packageDir(packageName), 'api-extractor.json'));
  const problems: Array<string> = [];
  const result = Extractor.invoke(config, {
    localBuild: options.update,
    messageCallback: (message: ExtractorMessage) => {
      // Collected rather than printed: the caller decides how to report them.
      message.handled = true;
      if (message.logLevel === 'error' || message.logLevel === 'warning') problems.push(message.formatMessageWithLocation(packageDir(packageName)));
    },
  });
  return { packageName, succeeded: result.succeeded, reportChanged: result.apiReportChanged, problems };
};

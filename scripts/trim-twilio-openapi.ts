/**
 * Regenerates the Twilio test fixture from Twilio's full OpenAPI description:
 *
 *     pnpm twilio:openapi [path/to/twilio_api_v2010.json] [--check]
 *
 * The full file is twilio/twilio-oai's `spec/json/twilio_api_v2010.json`. The default path (`../shared/...`
 * beside the repository) is only a convenience for developers who keep it there; nothing reads it at test
 * time. `--check` writes nothing and exits 1 when the committed fixture differs from the regenerated one.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURE_PATH, TWILIO_OPERATIONS } from '../packages/twilio/test/support/openapi-fixture.js';
import { formatJson, trimOpenApi } from '../packages/twilio/test/support/openapi-trim.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const check = args.includes('--check');
const given = args.find((a) => a !== '--check');
// A path given on the command line is the caller's; the default is the repository's neighbour.
const source = given === undefined ? resolve(repoRoot, '../shared/twilio/twilio_api_v2010.json') : resolve(given);

if (!existsSync(source)) {
  process.stderr.write(`no OpenAPI description at ${source}: pass the path of twilio/twilio-oai's spec/json/twilio_api_v2010.json\n`);
  process.exit(2);
}
const full: unknown = JSON.parse(readFileSync(source, 'utf8'));
const text = formatJson(trimOpenApi(full, TWILIO_OPERATIONS));

if (check) {
  const same = readFileSync(FIXTURE_PATH, 'utf8') === text;
  process.stdout.write(same ? `${FIXTURE_PATH} is up to date\n` : `${FIXTURE_PATH} differs from ${source}: run pnpm twilio:openapi\n`);
  process.exitCode = same ? 0 : 1;
} else {
  writeFileSync(FIXTURE_PATH, text);
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  process.stdout.write(`${FIXTURE_PATH}: ${kb(Buffer.byteLength(text))} from ${source} (${kb(readFileSync(source).length)})\n`);
}

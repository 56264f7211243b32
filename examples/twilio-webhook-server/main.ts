/**
 * A Twilio webhook server for the Message Center: point a real Twilio number at it.
 *
 *   TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… PUBLIC_URL=https://sms.example.com \
 *   BUSINESS_ID=salon-42 BUSINESS_COUNTRY=US BUSINESS_NUMBER=+14155550100 \
 *   npx -y pnpm@10 --filter @message-center/example-twilio-webhook-server start
 *
 * Then set the number's "A message comes in" webhook to `{PUBLIC_URL}/twilio/sms` (HTTP POST); status
 * callbacks come to `{PUBLIC_URL}/twilio/status` by themselves. See docs/twilio.md.
 * Exit codes: 0 after SIGINT/SIGTERM, 2 when the environment is incomplete, 1 when startup fails.
 */
import * as E from 'fp-ts/lib/Either.js';
import { configFromEnvironment, describeConfigProblems, ENVIRONMENT_HELP } from './config.js';
import { startServer, type RunningServer } from './server.js';
import { storeFromEnvironment, type ExampleStore } from '../shared/store.js';

if (process.argv.includes('--help')) {
  console.log(ENVIRONMENT_HELP);
  process.exit(0);
}

const config = configFromEnvironment(process.env);
if (E.isLeft(config)) {
  console.error(describeConfigProblems(config.left));
  process.exit(2);
}

const token = config.right.authToken;
function fail(what: string, error: unknown): never {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`twilio-webhook-server: ${what}: ${reason.split(token).join('[redacted]')}`);
  process.exit(1);
}

// In-memory by default; EventStoreDB when EVENTSTOREDB_URL is set (the examples' shared store).
let persistence: ExampleStore;
try {
  persistence = await storeFromEnvironment();
} catch (error: unknown) {
  fail('cannot open the event store', error);
}

let running: RunningServer;
try {
  running = await startServer({
    ...config.right,
    store: persistence.store,
    ...(persistence.ids === undefined ? {} : { ids: persistence.ids }),
  });
} catch (error: unknown) {
  await persistence.close().catch(() => undefined);
  fail('cannot start', error);
}

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) {
    console.error(`${signal} again: exiting without waiting`);
    process.exit(1);
  }
  stopping = true;
  console.log(`${signal}: stopping; requests in flight are answered first`);
  running
    .close()
    .then(() => persistence.close())
    .then(() => {
      console.log('stopped');
      process.exitCode = 0;
      // Whatever the SDKs keep open (keep-alive sockets, gRPC channels) must not keep the process alive.
      setTimeout(() => process.exit(0), 1_000).unref();
    })
    .catch((error: unknown) => fail('stopping failed', error));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// Printed once the signal handlers are in place: a supervisor may stop the server as soon as it sees this.
console.log(`listening on ${running.localUrl} (store: ${persistence.describe})`);
console.log(`  inbound SMS:      ${running.webhookUrls.inbound}  (the number's "A message comes in" webhook, HTTP POST)`);
console.log(`  status callbacks: ${running.webhookUrls.status}  (set on each outbound message)`);

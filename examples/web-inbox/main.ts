/**
 * The web inbox: the Message Center in a browser, live.
 *
 *   npx -y pnpm@10 install && npx -y pnpm@10 start        # then open http://127.0.0.1:3000
 *
 * In-memory by default, with a "text as a client" panel that posts signed Twilio webhooks to this server.
 * EVENTSTOREDB_URL=esdb://… keeps the events in EventStoreDB; TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN,
 * PUBLIC_URL and BUSINESS_NUMBER use a real Twilio number instead of the panel. PORT and HOST set where
 * it listens (default 127.0.0.1:3000; PORT=0 picks a free port). DATABASE_URL=postgres://… keeps the read
 * models in PostgreSQL (PG_SCHEMA: its schema, default public), shared by every instance. SEED=false: the
 * demo's clients and morning are not recorded, for a second instance of a shared store (seeding adds only
 * what the store lacks, but two instances starting at once could both send the morning's messages).
 */
import { configFromEnvironment } from './app/config.js';
import { startWebInbox, type RunningWebInbox } from './app/server.js';
import { IN_MEMORY_READ_MODELS, postgresReadModels, type HostReadModels } from './app/read-models.js';
import { storeFromEnvironment } from '../shared/store.js';

const configured = configFromEnvironment(process.env);
if ('problem' in configured) {
  console.error(`web-inbox: ${configured.problem}`);
  process.exit(2);
}
const seedText = process.env['SEED'] ?? '';
if (!['', 'true', 'false'].includes(seedText)) {
  console.error(`web-inbox: SEED must be true or false (got ${JSON.stringify(seedText.slice(0, 20))})`);
  process.exit(2);
}
const secret = configured.config.twilio?.authToken ?? null;
const fail = (what: string, error: unknown): never => {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`web-inbox: ${what}: ${secret === null ? reason : reason.split(secret).join('[redacted]')}`);
  process.exit(1);
};

const persistence = await storeFromEnvironment().catch((error: unknown) => fail('cannot open the event store', error));
const databaseUrl = process.env['DATABASE_URL'] ?? '';
const readModels: HostReadModels =
  databaseUrl === ''
    ? IN_MEMORY_READ_MODELS
    : await postgresReadModels({ databaseUrl, store: persistence.store, log: (line) => console.error(line), ...(process.env['PG_SCHEMA'] ? { schema: process.env['PG_SCHEMA'] } : {}) }).catch(async (error: unknown) => {
        await persistence.close().catch(() => undefined);
        return fail('cannot open the read models on PostgreSQL', error);
      });
const running: RunningWebInbox = await startWebInbox({ ...configured.config, store: persistence.store, readModels, seed: seedText !== 'false', ...(persistence.ids === undefined ? {} : { ids: persistence.ids }) }).catch(async (error: unknown) => {
  await readModels.close().catch(() => undefined);
  await persistence.close().catch(() => undefined);
  return fail('cannot start', error);
});

let stopping = false;
const stop = (): void => {
  if (stopping) process.exit(1);
  stopping = true;
  running
    .close()
    .then(() => readModels.close())
    .then(() => persistence.close())
    .then(() => process.exit(0))
    .catch((error: unknown) => fail('stopping failed', error));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

console.log(`Message Center web inbox: open ${running.url}  (store: ${persistence.describe}; read models: ${readModels.describe}; ${configured.config.twilio === null ? 'demo: text as a client from the panel on the right' : `Twilio number ${configured.config.twilio.number}`})`);

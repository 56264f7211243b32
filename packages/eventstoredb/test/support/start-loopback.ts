/**
 * Starts the loopback gRPC server (test double of EventStoreDB, in memory) and prints its connection
 * string, to try the examples against the adapter without a real server:
 *
 *   npx tsx --conditions=@message-center/source packages/eventstoredb/test/support/start-loopback.ts
 *   EVENTSTOREDB_URL='esdb://127.0.0.1:PORT?tls=false' npx -y pnpm@10 quickstart
 *
 * The port is chosen by the system (the server listens on 127.0.0.1 only). Runs until interrupted;
 * everything stored is lost when it stops. It speaks the generated code of `@kurrent/kurrentdb-client`
 * (`MC_ESDB_CLIENT=eventstore-db`: of `@eventstore/db-client`); either client can talk to it, each from
 * its own process.
 */
import { startLoopbackEventStore } from './loopback-server.js';

const server = await startLoopbackEventStore();
console.log(server.connectionString);

const stop = (): void => {
  void server.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

import { describeEventStoreContract } from '@message-center/testing';
import { describe, it } from 'vitest';
import { describeUrl, loopbackTarget, REAL_SERVER_URL, realServerTarget } from './support/targets.js';

// The shared EventStore contract (@message-center/testing) through the real client over gRPC: always
// against the loopback server, and against a real EventStoreDB / KurrentDB when EVENTSTOREDB_URL is set.

describeEventStoreContract('EventStoreDB adapter, loopback gRPC server', async () => {
  const target = await loopbackTarget();
  return { store: target.connection.store, deleteStream: target.deleteStream, dispose: target.dispose };
});

if (REAL_SERVER_URL === undefined) {
  console.info('[eventstoredb] real-server contract suite SKIPPED: EVENTSTOREDB_URL is not set (only the loopback gRPC server was tested).');
  describe('EventStore contract: EventStoreDB adapter, real server', () => {
    it.skip('skipped: set EVENTSTOREDB_URL (e.g. esdb://localhost:2113?tls=false) to run the contract against a real server', () => undefined);
  });
} else {
  const url = REAL_SERVER_URL;
  console.info(`[eventstoredb] running the contract suite against the real server at ${describeUrl(url)}`);
  describeEventStoreContract(`EventStoreDB adapter, real server ${describeUrl(url)}`, async () => {
    const target = await realServerTarget(url);
    return { store: target.connection.store, deleteStream: target.deleteStream, dispose: target.dispose };
  });
}

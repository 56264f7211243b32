import { describeEventStoreContract } from '@message-center/testing';
import { describeUrl, loopbackTarget, describeRealServer, realServerTarget } from './support/targets.js';

// The shared EventStore contract (@message-center/testing) through the real client over gRPC: always
// against the loopback server, and against a real EventStoreDB / KurrentDB when EVENTSTOREDB_URL is set.

describeEventStoreContract('EventStoreDB adapter, loopback gRPC server', async () => {
  const target = await loopbackTarget();
  return { store: target.connection.store, deleteStream: target.deleteStream, dispose: target.dispose };
});

describeRealServer('contract suite', (url) =>
  describeEventStoreContract(`EventStoreDB adapter, real server ${describeUrl(url)}`, async () => {
    const target = await realServerTarget(url);
    return { store: target.connection.store, deleteStream: target.deleteStream, dispose: target.dispose };
  }),
);

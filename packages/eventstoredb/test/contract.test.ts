import { describeEventStoreContract } from '@message-center/testing';
import { CLIENT_UNDER_TEST } from './support/client-under-test.js';
import { APPEND_PATHS, describeUrl, loopbackTarget, describeRealServer, realServerTarget } from './support/targets.js';

// The shared EventStore contract (@message-center/testing) through the real client (the project's:
// MC_ESDB_CLIENT) over gRPC: against the loopback server on both append paths, and against a real
// EventStoreDB / KurrentDB when EVENTSTOREDB_URL is set.

for (const appendPath of APPEND_PATHS) {
  describeEventStoreContract(`EventStoreDB adapter, ${CLIENT_UNDER_TEST} client, loopback gRPC server, ${appendPath}`, async () => {
    const target = await loopbackTarget({ appendPath });
    return { store: target.connection.store, deleteStream: target.deleteStream, dispose: target.dispose };
  });
}

describeRealServer('contract suite', (url) =>
  describeEventStoreContract(`EventStoreDB adapter, ${CLIENT_UNDER_TEST} client, real server ${describeUrl(url)}`, async () => {
    const target = await realServerTarget(url);
    return { store: target.connection.store, deleteStream: target.deleteStream, dispose: target.dispose };
  }),
);

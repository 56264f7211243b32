// A stand-in for a test run that dies: starts a throwaway cluster, prints where it is, and waits to be
// killed (cluster-crash.test.ts sends SIGKILL, so no teardown of ours runs).
import { startThrowawayCluster } from './cluster.js';

const server = await startThrowawayCluster(process.env);
process.stdout.write(`${JSON.stringify({ url: server.url, cluster: server.cluster })}\n`);
setInterval(() => undefined, 60_000);

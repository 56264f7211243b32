import { randomUUID } from 'node:crypto';
import { createInMemoryEventStore, type EventStore, type EventToAppend, type StoreError } from '@message-center/core';
import { encodeEvent, STREAM_PREFIX } from '@message-center/core/internals';
import { connectEventStoreDb } from '@message-center/eventstoredb';
// Test-only code, used here on purpose: the loopback gRPC server from the adapter's test folder stands
// in for EventStoreDB, which cannot be installed on our machines. It is never used outside tests/bench.
import { startLoopbackEventStore } from '../packages/eventstoredb/test/support/loopback-server.js';
import { fmt, measureAsync, ROUNDS } from './report.js';
import { generateWorkload } from './workload.js';

/** A TaskEither's shape, spelled out: fp-ts is not a dependency of the root package that runs the bench. */
type Outcome<A> = { readonly _tag: 'Left'; readonly left: StoreError } | { readonly _tag: 'Right'; readonly right: A };

const must = async <A>(task: () => Promise<Outcome<A>>): Promise<A> => {
  const result = await task();
  if (result._tag === 'Left') throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
};

/** Runs `work` over `items` with at most `width` calls in flight, like that many concurrent request handlers. */
const inParallel = async <A>(items: ReadonlyArray<A>, width: number, work: (item: A) => Promise<void>): Promise<void> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
};

interface Figures {
  readonly batch: number;
  readonly single: number;
  readonly readStream: number;
  readonly readAll: number;
}

/**
 * Issue 4: append and read throughput through the EventStoreDB adapter against the loopback gRPC server,
 * beside the same workload on the in-memory store. Both stores get exactly the same writes and reads.
 */
export const eventStoreDbBench = async (): Promise<void> => {
  const streams = Number(process.env['BENCH_ESDB_STREAMS'] ?? 2_000);
  const perStream = Number(process.env['BENCH_ESDB_EVENTS_PER_STREAM'] ?? 10);
  const singleStreams = Math.max(1, Math.floor(streams / 10));
  const width = Number(process.env['BENCH_ESDB_CONCURRENCY'] ?? 16);
  console.log(`\nEventStoreDB adapter against the loopback gRPC server, beside the in-memory store (${width} calls in flight)`);
  console.log('  The loopback server is a TEST DOUBLE (JavaScript, in memory, in this same process, no disk): its');
  console.log('  absolute figures say little about a real EventStoreDB. The ratio is the cost of the adapter, the');
  console.log('  real @eventstore/db-client and gRPC over loopback TCP relative to the in-memory store.');

  // Real conversation events, encoded as the command handler encodes them (JSON data + metadata).
  const workload = generateWorkload(streams, perStream).map((events) => events.map((event) => encodeEvent(event, randomUUID(), { correlationId: randomUUID() })));
  const withFreshIds = (events: ReadonlyArray<EventToAppend>): EventToAppend[] => events.map((event) => ({ ...event, id: randomUUID() }));
  const batchTotal = workload.reduce((n, events) => n + events.length, 0);
  const singleEvents = workload.slice(0, singleStreams).map((events) => events.slice(0, perStream));
  const singleTotal = singleEvents.reduce((n, events) => n + events.length, 0);

  const run = async (label: string, store: EventStore): Promise<Figures> => {
    console.log(`  ${label}`);
    // Each store is new, so its `mc-` streams are exactly the ones written here.
    const tag = randomUUID().slice(0, 8);
    const batchStream = (round: string, s: number): string => `${STREAM_PREFIX}conversation-bench-${tag}-${round}-${s}`;
    // One event per append at the exact revision, as the command handler appends; not `mc-` streams,
    // so that readAll has events to filter out.
    const singleStream = (round: string, s: number): string => `bench-single-${tag}-${round}-${s}`;
    const appendBatches = async (round: string, batches: ReadonlyArray<ReadonlyArray<EventToAppend>>): Promise<void> =>
      inParallel([...batches.keys()], width, async (s) => {
        await must(store.appendToStream(batchStream(round, s), batches[s] ?? [], { expectedRevision: 'no-stream' }));
      });
    const appendSingles = async (round: string, perStreamEvents: ReadonlyArray<ReadonlyArray<EventToAppend>>): Promise<void> =>
      inParallel([...perStreamEvents.keys()], width, async (s) => {
        let expectedRevision: 'no-stream' | bigint = 'no-stream';
        for (const event of perStreamEvents[s] ?? []) {
          expectedRevision = (await must(store.appendToStream(singleStream(round, s), [event], { expectedRevision }))).nextExpectedRevision;
        }
      });

    // Reads first, over one copy of the workload written beforehand (not timed).
    await appendBatches('read', workload.map(withFreshIds));
    await appendSingles('read', singleEvents.map(withFreshIds));
    const readStream = await measureAsync(`readStream of ${fmt(streams)} whole streams`, batchTotal, async () => {
      await inParallel([...workload.keys()], width, async (s) => {
        const events = await must(store.readStream(batchStream('read', s)));
        if (events.length !== perStream) throw new Error(`read ${events.length} events, expected ${perStream}`);
      });
    }, 'events/s');
    const readAll = await measureAsync(`readAll from the start, prefix ${STREAM_PREFIX} (${fmt(batchTotal)} of ${fmt(batchTotal + singleTotal)} events)`, batchTotal, async () => {
      const events = await must(store.readAll({ streamPrefix: STREAM_PREFIX }));
      if (events.length !== batchTotal) throw new Error(`readAll returned ${events.length} events, expected ${batchTotal}`);
    }, 'events/s');

    // Ids are drawn before timing; every round, the unmeasured warm-up included, writes new streams.
    const batchRounds = Array.from({ length: ROUNDS + 1 }, () => workload.map(withFreshIds));
    let batchRound = 0;
    const batch = await measureAsync(`append ${fmt(streams)} streams × ${perStream}-event batches`, batchTotal, async () => {
      const r = batchRound++;
      const round = batchRounds[r];
      if (round === undefined) throw new Error(`no prepared batch round ${r}`);
      await appendBatches(`r${r}`, round);
    }, 'events/s');
    const singleRounds = Array.from({ length: ROUNDS + 1 }, () => singleEvents.map(withFreshIds));
    let singleRound = 0;
    const single = await measureAsync(`append ${fmt(singleTotal)} single events (${fmt(singleStreams)} streams, exact revisions)`, singleTotal, async () => {
      const r = singleRound++;
      const round = singleRounds[r];
      if (round === undefined) throw new Error(`no prepared single round ${r}`);
      await appendSingles(`r${r}`, round);
    }, 'events/s');
    return { batch, single, readStream, readAll };
  };

  const memory = await run('in-memory store', createInMemoryEventStore());
  const server = await startLoopbackEventStore();
  const connection = connectEventStoreDb(server.connectionString);
  try {
    const adapter = await run(`adapter → loopback server ${server.connectionString}`, connection.store);
    const ratio = (key: keyof Figures): string => `${(memory[key] / adapter[key]).toFixed(1)}×`;
    console.log(
      `  ratio in-memory / adapter: batch appends ${ratio('batch')}, single appends ${ratio('single')}, readStream ${ratio('readStream')}, readAll ${ratio('readAll')}`,
    );
    console.log('  (v6 readAll has no server-side filter: the adapter reads all of $all and filters by prefix on the client.)');
  } finally {
    await connection.close();
    await server.stop();
  }
};

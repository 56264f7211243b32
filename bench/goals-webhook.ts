/**
 * Issue 14, goal 3 (P4): signed inbound webhooks to an appended `InboundReceived` on the in-memory store,
 * over loopback HTTP with 16 requests in flight, at least 5,000 requests/s and at least 0.8× a bare
 * `node:http` handler (reads the body, answers the same TwiML) measured in the same run.
 *
 * The two servers run in this thread, in alternating rounds (bare, webhook, bare, webhook, … after
 * warm-up pairs) on the same signed requests, and the figures are medians. The load generator runs in a
 * worker thread (this module again, started with `workerData`): on a 2-core machine the client then
 * takes the other core instead of the server's thread, and the server thread measures server work only.
 */
import { Agent } from 'node:http';
import { isMainThread, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { EMPTY_TWIML } from '@message-center/twilio';
import { fmt, gc } from './report.js';
import type { GoalResult } from './goals.js';
import { SMALL, median } from './goals.js';
import { batch, fire, listen, webhookServer, type SignedRequest } from './twilio.js';
import { must } from './outcome.js';

const CONCURRENCY = 16;
const TARGET_RATE = 5_000;
const TARGET_RATIO = 0.8;
const WARM_UP_PAIRS = 3;
const CLIENT_ROLE = 'issue-14-goal-3-webhook-client';

// The protocol between this thread (servers) and the client worker.
interface ClientSetup {
  readonly role: typeof CLIENT_ROLE;
  readonly perRound: number;
  /** Batches of distinct MessageSids the client signs before any round: one per pair of rounds. */
  readonly batches: number;
}
type ToClient = { readonly kind: 'fire'; readonly port: number; readonly batch: number } | { readonly kind: 'stop' };
type FromClient =
  | { readonly kind: 'ready' }
  | { readonly kind: 'fired'; readonly ms: number; readonly failures: number }
  | { readonly kind: 'failed'; readonly message: string };

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null;

const isClientSetup = (u: unknown): u is ClientSetup =>
  isRecord(u) && u['role'] === CLIENT_ROLE && typeof u['perRound'] === 'number' && typeof u['batches'] === 'number';

const toClient = (u: unknown): ToClient | null => {
  if (!isRecord(u)) return null;
  if (u['kind'] === 'stop') return { kind: 'stop' };
  const port = u['port'];
  const k = u['batch'];
  return u['kind'] === 'fire' && typeof port === 'number' && typeof k === 'number' ? { kind: 'fire', port, batch: k } : null;
};

const fromClient = (u: unknown): FromClient | null => {
  if (!isRecord(u)) return null;
  if (u['kind'] === 'ready') return { kind: 'ready' };
  const { ms, failures, message } = u;
  if (u['kind'] === 'fired' && typeof ms === 'number' && typeof failures === 'number') return { kind: 'fired', ms, failures };
  if (u['kind'] === 'failed' && typeof message === 'string') return { kind: 'failed', message };
  return null;
};

/** The client worker: signs every batch first (Twilio's work, not the server's), then fires one round per `fire`. */
const runClient = (port: MessagePort, setup: ClientSetup): void => {
  const prepared: ReadonlyArray<ReadonlyArray<SignedRequest>> = Array.from({ length: setup.batches }, (_, k) => batch(k, setup.perRound));
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const reply = (m: FromClient): void => port.postMessage(m);
  port.on('message', (raw: unknown) => {
    const m = toClient(raw);
    if (m === null) return reply({ kind: 'failed', message: 'unknown message to the client worker' });
    if (m.kind === 'stop') {
      agent.destroy();
      port.close();
      return;
    }
    const requests = prepared[m.batch];
    if (requests === undefined) return reply({ kind: 'failed', message: `no batch ${m.batch}` });
    gc();
    const start = performance.now();
    fire(m.port, agent, requests, CONCURRENCY).then(
      (failures) => reply({ kind: 'fired', ms: performance.now() - start, failures }),
      (error: unknown) => reply({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
  });
  reply({ kind: 'ready' });
};

const setup: unknown = workerData;
if (!isMainThread && parentPort !== null && isClientSetup(setup)) runClient(parentPort, setup);

/** The client worker as seen from the servers' thread: one round at a time. */
const startClient = async (perRound: number, batches: number): Promise<{ readonly round: (port: number, k: number) => Promise<{ readonly ms: number; readonly failures: number }>; readonly stop: () => Promise<void> }> => {
  const data: ClientSetup = { role: CLIENT_ROLE, perRound, batches };
  // This module again, in a worker that inherits the process's flags (the source condition, --expose-gc).
  // tsx's loader hooks do not reach worker threads on Node 20 (a `.ts` entry fails with
  // ERR_UNKNOWN_FILE_EXTENSION), so the worker registers them itself before importing this module.
  const entry = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const worker = new Worker(entry, { eval: true, workerData: data });
  let pending: { readonly resolve: (m: FromClient) => void; readonly reject: (e: Error) => void } | null = null;
  const next = (): Promise<FromClient> => new Promise((resolve, reject) => (pending = { resolve, reject }));
  const settle = (f: (p: NonNullable<typeof pending>) => void): void => {
    const p = pending;
    pending = null;
    if (p !== null) f(p);
  };
  worker.on('message', (raw: unknown) => {
    const m = fromClient(raw);
    settle((p) => (m === null ? p.reject(new Error('unknown message from the client worker')) : p.resolve(m)));
  });
  worker.on('error', (e) => settle((p) => p.reject(e)));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      settle((p) => p.reject(new Error(`the client worker exited (${code})`)));
      resolve();
    }),
  );
  const send = async (m: ToClient): Promise<FromClient> => {
    const answer = next();
    worker.postMessage(m);
    return answer;
  };
  const ready = await next();
  if (ready.kind !== 'ready') throw new Error(`the client worker did not start: ${ready.kind === 'failed' ? ready.message : ready.kind}`);
  return {
    round: async (port, k) => {
      const m = await send({ kind: 'fire', port, batch: k });
      if (m.kind !== 'fired') throw new Error(`client round failed: ${m.kind === 'failed' ? m.message : m.kind}`);
      return { ms: m.ms, failures: m.failures };
    },
    stop: async () => {
      worker.postMessage({ kind: 'stop' } satisfies ToClient);
      await exited;
    },
  };
};

export const webhookGoals = async (): Promise<ReadonlyArray<GoalResult>> => {
  const perRound = SMALL ? 1_000 : 3_000;
  const rounds = SMALL ? 5 : 7;
  const pairs = WARM_UP_PAIRS + rounds;

  const bare = await listen((req, res) => {
    req.resume();
    req.once('end', () => res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(EMPTY_TWIML));
  });
  const { store, errors, server: webhook } = await webhookServer();
  let failures = 0;
  const bareRates: number[] = [];
  const webhookRates: number[] = [];
  let client: Awaited<ReturnType<typeof startClient>> | null = null;
  try {
    client = await startClient(perRound, pairs);
    // Pair k: the bare handler, then the webhook, on the same signed requests (batch k, MessageSids of its own).
    for (let k = 0; k < pairs; k += 1) {
      gc();
      const b = await client.round(bare.port, k);
      gc();
      const w = await client.round(webhook.port, k);
      failures += b.failures + w.failures;
      if (k >= WARM_UP_PAIRS) {
        bareRates.push(perRound / (b.ms / 1000));
        webhookRates.push(perRound / (w.ms / 1000));
      }
    }
  } finally {
    await client?.stop();
    await bare.close();
    await webhook.close();
  }

  // Every request must have been answered 200 and every webhook have produced exactly one event, or the figures mean nothing.
  const recorded = (await must(store.readAll({ streamPrefix: 'mc-conversation-' }))).filter((e) => e.type === 'InboundReceived').length;
  const expected = pairs * perRound;
  if (failures > 0 || errors.length > 0 || recorded !== expected) {
    throw new Error(`webhook goal is invalid: ${failures} non-200 answers, ${errors.length} handler errors, ${recorded} of ${expected} events`);
  }

  const webhookRate = median(webhookRates);
  const bareRate = median(bareRates);
  // Each pair's two rounds ran back to back: the median of the pairs' ratios cancels the machine's drift.
  const ratio = median(webhookRates.map((w, i) => w / (bareRates[i] ?? Number.NaN)));
  const how = `medians of ${rounds} alternating rounds (after ${WARM_UP_PAIRS} warm-up pairs) of ${fmt(perRound)} signed requests, ${CONCURRENCY} in flight over keep-alive loopback, client in a worker thread; ${fmt(recorded)} InboundReceived events for ${fmt(recorded)} webhooks`;
  return [
    {
      goal: '3. P4 signed webhook → event ≥ 5,000 requests/s',
      measured: `webhook ${fmt(webhookRate)} requests/s, bare node:http ${fmt(bareRate)} requests/s; ${how}`,
      ratio: webhookRate / TARGET_RATE,
      target: `≥ ${fmt(TARGET_RATE)} requests/s`,
      held: webhookRate >= TARGET_RATE,
    },
    {
      goal: '3. P4 signed webhook ≥ 0.8× a bare node:http handler',
      measured: `webhook ${fmt(webhookRate)} requests/s ÷ bare ${fmt(bareRate)} requests/s (median of the rounds' ratios); ${how}`,
      ratio,
      target: `≥ ${TARGET_RATIO}`,
      held: ratio >= TARGET_RATIO,
    },
  ];
};

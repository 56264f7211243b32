/**
 * The PostgreSQL side of bench/postgres.ts's queries, timed in a worker thread of its own: a host asking its
 * read models does not hold the whole log on its heap, and the bench's main thread does (~3 GB at full scale),
 * whose collector pauses landed in the timings (a badge that the server answers in 0.02 ms measured 2–15 ms at
 * its tail). `clientJob` runs in the worker; `runClientJob` starts it and waits for its answer.
 */
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { BusinessId, InboxQuery, StaffActor } from '@message-center/core';
import { pgReadModelStore } from '@message-center/postgres';
import { newPool } from './postgres-server.js';

export interface ClientJob {
  readonly url: string;
  readonly schema: string;
  readonly warmUp: ReadonlyArray<InboxQuery>;
  /** Timed one by one, in this order. */
  readonly pages: ReadonlyArray<InboxQuery>;
  readonly badges: ReadonlyArray<{ readonly viewer: StaffActor; readonly businessId: BusinessId }>;
  readonly badgeCalls: number;
  /** New pools, each timed from its creation to its first page and badge. */
  readonly firstTries: number;
}

export interface ClientResult {
  readonly pageMs: ReadonlyArray<number>;
  /** Each page as JSON (compared with the in-memory side's). */
  readonly pages: ReadonlyArray<string>;
  readonly badges: ReadonlyArray<{ readonly ms: ReadonlyArray<number>; readonly value: number }>;
  readonly firstMs: ReadonlyArray<number>;
}

type Answer<A> = { readonly _tag: 'Left'; readonly left: { readonly code: string; readonly message: string } } | { readonly _tag: 'Right'; readonly right: A };

const must = async <A>(what: string, task: () => Promise<Answer<A>>): Promise<A> => {
  const r = await task();
  if (r._tag === 'Left') throw new Error(`${what}: ${r.left.code} ${r.left.message}`);
  return r.right;
};

const isClientJob = (u: unknown): u is ClientJob =>
  typeof u === 'object' &&
  u !== null &&
  typeof Reflect.get(u, 'url') === 'string' &&
  typeof Reflect.get(u, 'schema') === 'string' &&
  [Reflect.get(u, 'warmUp'), Reflect.get(u, 'pages'), Reflect.get(u, 'badges')].every(Array.isArray) &&
  typeof Reflect.get(u, 'badgeCalls') === 'number' &&
  typeof Reflect.get(u, 'firstTries') === 'number';

const clientJob = async (job: ClientJob): Promise<ClientResult> => {
  const pool = newPool({ connectionString: job.url, max: 8, application_name: 'mc-bench-client' });
  try {
    const pg = pgReadModelStore(pool, { schema: job.schema });
    for (const q of job.warmUp) await must('warm-up page', pg.inbox(q));
    const pageMs: number[] = [];
    const pages: string[] = [];
    for (const q of job.pages) {
      const start = performance.now();
      const page = await must('page', pg.inbox(q));
      pageMs.push(performance.now() - start);
      pages.push(JSON.stringify(page));
    }
    const badges: Array<{ readonly ms: ReadonlyArray<number>; readonly value: number }> = [];
    for (const q of job.badges) {
      for (let w = 0; w < 5; w += 1) await must('badge warm-up', pg.unreadBadge(q));
      const ms: number[] = [];
      let value = 0;
      for (let i = 0; i < job.badgeCalls; i += 1) {
        const start = performance.now();
        value = await must('badge', pg.unreadBadge(q));
        ms.push(performance.now() - start);
      }
      badges.push({ ms, value });
    }
    const firstMs: number[] = [];
    const [page] = job.pages;
    const [badge] = job.badges;
    for (let t = 0; t < job.firstTries && page !== undefined && badge !== undefined; t += 1) {
      const start = performance.now();
      const fresh = newPool({ connectionString: job.url, application_name: 'mc-bench-new-instance' });
      try {
        const readModels = pgReadModelStore(fresh, { schema: job.schema });
        await must('first page', readModels.inbox({ viewer: badge.viewer, businessId: badge.businessId, limit: page.limit }));
        await must('first badge', readModels.unreadBadge(badge));
        firstMs.push(performance.now() - start);
      } finally {
        await fresh.end();
      }
    }
    return { pageMs, pages, badges, firstMs };
  } finally {
    await pool.end();
  }
};

/** Runs `job` in a new worker thread (TypeScript through tsx's loader, as the bench itself runs). */
export const runClientJob = (job: ClientJob): Promise<ClientResult> =>
  new Promise((resolve, reject) => {
    const url = new URL(import.meta.url).href;
    const worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`, { eval: true, workerData: job });
    let answered = false;
    worker.on('message', (result: ClientResult) => {
      answered = true;
      resolve(result);
      void worker.terminate();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (!answered) reject(new Error(`the bench's client worker exited with ${code} before answering`));
    });
  });

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  // workerData is the job runClientJob sent (a structured clone of plain data); its shape is checked, not assumed.
  const data: unknown = workerData;
  if (!isClientJob(data)) throw new Error("the bench's client worker was started without a job");
  clientJob(data).then(
    (result) => port.postMessage(result),
    (error: unknown) => {
      throw error;
    },
  );
}

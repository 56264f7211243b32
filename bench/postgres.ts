/**
 * Issue 15, item 6: the read models on PostgreSQL (`@message-center/postgres`) over bench/inbox.ts's log —
 * one business, N = 100,000 conversations and 1M messages (~3.2M events); `BENCH_SCALE=small`: N = 5,000 —
 * appended into core's in-memory event store (postgres-log.ts), beside core's in-memory read models
 * (`createInMemoryReadModelStore`) on the same store. In this order:
 * - (a) projection throughput: the `inbox` and `usage` runners (`startPgProjection`, default page of 2,000
 *   events) folding the whole log into a fresh schema, both together (the schema the queries read); each
 *   alone into a schema of its own at the end. Log events per second from the runners' start to `caughtUp()`,
 *   with the CPU time of this process and of the server. Then `VACUUM ANALYZE` (autovacuum's work, done now);
 * - the in-memory side's first answer: a catch-up of the whole log;
 * - (b) inbox pages of 50 (`pgReadModelStore(pool).inbox`) of 12 shapes at the business, each timed alone
 *   in one shuffled order after a warm-up, then the same queries on the in-memory side; every answer compared;
 * - (c) the unread badge of 7 viewers, both sides;
 * - (d) a new instance's first answer on the filled schema: a new pool, `pgReadModelStore`, the first inbox
 *   page and then the badge, timed from creating the pool (5 new instances);
 *   (b)–(d) on PostgreSQL are asked and timed in a worker thread (postgres-client.ts), as a host would: its heap
 *   holds none of the log, whose collector pauses on this thread's ~3 GB heap landed in the timings;
 * - EXPLAIN ANALYZE (auto_explain, on a session of its own) of the slowest page of each shape that missed its
 *   target, of a badge if it missed, and of the runner's DELETE of a batch's read marks (rolled back).
 * The server: `DATABASE_URL`, else a throwaway cluster (postgres-server.ts), in a database of its own that is
 * dropped at the end. Full scale holds ~3 GB of log and read models on the heap:
 * `NODE_OPTIONS=--max-old-space-size=8192`. The run is changed by `BENCH_PG_QUERIES` (pages per shape, 200),
 * `BENCH_PG_BADGES` (badges per viewer, 100), `BENCH_PG_ALONE` (the projections also run alone:
 * `usage,inbox`, `usage` or `0`), `BENCH_PG_PAGE` (the runners' page size), `BENCH_PG_EXPLAIN` (`missed`,
 * `all` or `0`), `BENCH_PG_STATEMENTS=1` (the inbox runner's statements alone, as the server timed them) and
 */
import { readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import {
  StaffId,
  createInMemoryReadModelStore,
  timestampFromMillis,
  type InboxFilters,
  type InboxPage,
  type InboxQuery,
  type InboxView,
  type ReadModelStore,
  type StaffActor,
} from '@message-center/core';
import {
  DEFAULT_PAGE_SIZE,
  inboxPgProjection,
  migrate,
  pgReadModelStore,
  startPgProjection,
  usagePgProjection,
  type PgProjection,
  type PgProjectionError,
} from '@message-center/postgres';
import { BUSINESS, STAFF, actorOf, chance, describeQuery, generateWorld, latencyOf, must, pick, pickSkewed, prng, type Census, type Client, type Latency, type Random, type World } from './inbox.js';
import { runClientJob, type ClientResult } from './postgres-client.js';
import { fillStore } from './postgres-log.js';
import { benchDatabase, cpuBetween, newPool, serverCpu, type Pool } from './postgres-server.js';
import { commitOf, fmt, gc, heapMiB, loadLine, machineLine, seconds } from './report.js';

const SMALL = process.env['BENCH_SCALE'] === 'small';
const CONVERSATIONS = SMALL ? 5_000 : 100_000;
const MESSAGES = 10 * CONVERSATIONS;
const QUERIES = Number(process.env['BENCH_PG_QUERIES'] ?? 200);
const BADGES = Number(process.env['BENCH_PG_BADGES'] ?? 100);
/** Which projections are also run alone (the inbox alone takes as long as both together): `usage,inbox` by default, `usage`, or `0`. */
const ALONE = (process.env['BENCH_PG_ALONE'] ?? 'usage,inbox').split(',');
const PAGE_SIZE = process.env['BENCH_PG_PAGE'] === undefined ? undefined : Number(process.env['BENCH_PG_PAGE']);
const EXPLAIN = process.env['BENCH_PG_EXPLAIN'] ?? 'missed';
/** Logs every statement of the inbox runner's run alone (`log_min_duration_statement = 0`) and sums their durations by statement. */
const STATEMENTS = process.env['BENCH_PG_STATEMENTS'] === '1';
const FIRST_QUERY_TRIES = 5;
const PAGE = 50;

const TARGET_PAGE_MS = 10;
const TARGET_BADGE_MS = 2;
const TARGET_RATE = 20_000;
const TARGET_FIRST_MS = 1_000;

const NEW_HIRE = must(StaffId.is, 's-new-hire');
const VIEWERS = [...STAFF, NEW_HIRE];
const FOLDER_VIEWS: ReadonlyArray<InboxView> = ['unread', 'read', 'replied', 'archived'];
const MESSAGE_WORDS = ['thursday', 'pilates', 'refund', 'late', 'pool', 'membership', 'cancel', 'spin', 'water bottle', 'friend', 'merci', 'charged twice'];
const DAY = 24 * 60 * 60_000;

interface Result {
  readonly goal: string;
  readonly measured: string;
  readonly ratio: number;
  readonly target: string;
  readonly held: boolean;
}

const msOf = (x: number): string => x.toFixed(x < 1 ? 3 : x < 100 ? 2 : 0);
const answer = async <A>(what: string, task: () => Promise<{ readonly _tag: 'Left'; readonly left: { readonly code: string; readonly message: string } } | { readonly _tag: 'Right'; readonly right: A }>): Promise<A> => {
  const r = await task();
  if (r._tag === 'Left') throw new Error(`${what}: ${r.left.code} ${r.left.message}`);
  return r.right;
};

// ------------------------------------------------------------------------------------------------ (a) projections

interface ProjectionRun {
  readonly label: string;
  /** Per runner: ms from the start to its `caughtUp()`, and the events it applied. */
  readonly runners: ReadonlyArray<{ readonly name: string; readonly ms: number; readonly applied: number; readonly batches: number; readonly pipelined: number }>;
  /** ms from the start until every runner had caught up. */
  readonly ms: number;
  /** CPU seconds of this process and of the server (null: not readable) over the run. */
  readonly nodeCpu: number;
  readonly serverCpu: number | null;
  readonly stop: () => Promise<void>;
}

const runProjections = async (
  pool: Pool,
  postmasterPid: number | null,
  store: Parameters<typeof startPgProjection>[0]['store'],
  schema: string,
  projections: ReadonlyArray<PgProjection>,
  label: string,
): Promise<ProjectionRun> => {
  await answer(`migrate ${schema}`, migrate(pool, { schema }));
  const errors: PgProjectionError[] = [];
  gc();
  const serverBefore = serverCpu(postmasterPid);
  const nodeBefore = process.cpuUsage();
  const start = performance.now();
  const runners = projections.map((projection) =>
    startPgProjection({ pool, store, projection, schema, ...(PAGE_SIZE === undefined ? {} : { pageSize: PAGE_SIZE }), onError: (e) => errors.push(e) }),
  );
  const done = await Promise.all(
    runners.map(async (runner) => {
      await answer(`${runner.name} caught up`, runner.caughtUp());
      const stats = runner.stats();
      return { name: runner.name, ms: performance.now() - start, applied: stats.events, batches: stats.batches, pipelined: stats.pipelined };
    }),
  );
  const ms = performance.now() - start;
  const node = process.cpuUsage(nodeBefore);
  const server = postmasterPid === null ? null : cpuBetween(serverBefore, serverCpu(postmasterPid));
  if (errors.length > 0) console.log(`    ${errors.length} runner errors (retried): ${errors.slice(0, 3).map((e) => `${e.code} ${e.message}`).join('; ')}`);
  return { label, runners: done, ms, nodeCpu: (node.user + node.system) / 1e6, serverCpu: server, stop: async () => void (await Promise.all(runners.map((r) => r.stop()))) };
};

// ------------------------------------------------------------------------------------------------ (b) pages

interface Shaped {
  readonly shape: string;
  /** Counted towards the filter-and-search target. */
  readonly searched: boolean;
  readonly query: InboxQuery;
}

/** A filter as bench/inbox.ts draws them: the client's own values half the time, so a search for them finds them. */
const filterFor = (random: Random, census: Census, c: Client, others: ReadonlyArray<Client>): InboxFilters => {
  const other = pick(random, others);
  const own = chance(random, 0.5);
  const roll = random();
  if (roll < 0.3) return { groups: [(own ? c.groups[0] : undefined) ?? other.groups[0] ?? 'Yoga'] };
  if (roll < 0.5) return { clientTypes: [own ? c.clientType : other.clientType] };
  if (roll < 0.7) return { homeLocations: [(own ? c.homeLocation : other.homeLocation) ?? 'Downtown'] };
  // Last activity in the last week, month, quarter or year of the log.
  return { lastActivityFrom: timestampFromMillis(census.lastMs - pick(random, [7, 30, 90, 365]) * DAY) };
};

type SearchKind = 'name prefix' | 'phone, last 4 digits' | 'phone, whole number' | 'message word';

const searchFor = (random: Random, c: Client, kind: SearchKind): string => {
  const digits = c.phone.slice(2);
  switch (kind) {
    case 'name prefix':
      return c.first.slice(0, 3 + Math.floor(random() * 2));
    case 'phone, last 4 digits':
      return digits.slice(6);
    case 'phone, whole number':
      return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
    case 'message word':
      return pick(random, MESSAGE_WORDS);
  }
};

const SEARCH_KINDS: ReadonlyArray<SearchKind> = ['name prefix', 'phone, last 4 digits', 'phone, whole number', 'message word'];

/** `count` queries of every shape, in one shuffled order (so no shape meets the caches first). */
const shapedQueries = async (world: World, census: Census, memory: ReadModelStore, count: number, seed: number): Promise<Shaped[]> => {
  const random = prng(seed);
  const viewer = (): StaffActor => actorOf(pickSkewed(random, VIEWERS));
  const client = (): Client => pick(random, world.clients);
  const all: Shaped[] = [];
  for (let i = 0; i < count; i += 1) {
    all.push({ shape: 'plain inbox, first page', searched: false, query: { viewer: viewer(), businessId: BUSINESS, limit: PAGE } });
    // A later page: the cursors followed (untimed) on the in-memory side, 2 to 10 pages in.
    const v = viewer();
    let cursor: string | null = null;
    const pages = 1 + Math.floor(random() * 9);
    for (let p = 0; p < pages; p += 1) {
      const page: InboxPage = await answer('cursor walk', memory.inbox({ viewer: v, businessId: BUSINESS, limit: PAGE, ...(cursor === null ? {} : { cursor }) }));
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    if (cursor !== null) all.push({ shape: 'plain inbox, pages 2-10 (cursor)', searched: false, query: { viewer: v, businessId: BUSINESS, limit: PAGE, cursor } });
    for (const view of FOLDER_VIEWS) all.push({ shape: `view ${view}`, searched: false, query: { viewer: viewer(), businessId: BUSINESS, view, limit: PAGE } });
    const c = client();
    const f = filterFor(random, census, c, world.clients);
    all.push({ shape: 'filter', searched: false, query: { viewer: viewer(), businessId: BUSINESS, filters: f, limit: PAGE } });
    for (const kind of SEARCH_KINDS) {
      const d = client();
      const g = filterFor(random, census, d, world.clients);
      all.push({ shape: `filter + search: ${kind}`, searched: true, query: { viewer: viewer(), businessId: BUSINESS, filters: g, search: searchFor(random, d, kind), limit: PAGE } });
    }
    const e = client();
    const h = filterFor(random, census, e, world.clients);
    all.push({
      shape: 'view + filter + search',
      searched: true,
      query: { viewer: viewer(), businessId: BUSINESS, view: pick(random, FOLDER_VIEWS), filters: h, search: searchFor(random, e, pick(random, SEARCH_KINDS)), limit: PAGE },
    });
  }
  // Fisher–Yates with the same seeded PRNG.
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const a = all[i];
    const b = all[j];
    if (a === undefined || b === undefined) continue;
    all[i] = b;
    all[j] = a;
  }
  return all;
};

interface Timed {
  readonly pg: Float64Array;
  readonly memory: Float64Array;
  readonly rows: Int32Array;
  readonly mismatches: number;
  readonly firstMismatch: string | null;
}

/** Each query timed alone in the in-memory store (one pass, after a warm-up), its answer compared with PostgreSQL's (timed by the client worker). */
const timeQueries = async (client: ClientResult, memory: ReadModelStore, queries: ReadonlyArray<Shaped>, warmUp: ReadonlyArray<Shaped>): Promise<Timed> => {
  for (const s of warmUp) await answer('warm-up memory', memory.inbox(s.query));
  const memoryTimes = new Float64Array(queries.length);
  gc();
  const rows = new Int32Array(queries.length);
  let mismatches = 0;
  let firstMismatch: string | null = null;
  for (let i = 0; i < queries.length; i += 1) {
    const s = queries[i];
    if (s === undefined) continue;
    const start = performance.now();
    const page = await answer(`memory ${describeQuery(s.query)}`, memory.inbox(s.query));
    memoryTimes[i] = performance.now() - start;
    rows[i] = page.rows.length;
    const memoryJson = JSON.stringify(page);
    const pgJson = client.pages[i] ?? '';
    if (memoryJson !== pgJson) {
      mismatches += 1;
      // Where they part: the first character that differs, with some context on each side.
      let at = 0;
      while (at < memoryJson.length && memoryJson[at] === pgJson[at]) at += 1;
      firstMismatch ??= `${s.shape}: ${describeQuery(s.query)} — from character ${at}: memory …${memoryJson.slice(Math.max(0, at - 200), at + 200)}… PostgreSQL …${pgJson.slice(Math.max(0, at - 200), at + 200)}…`;
    }
  }
  return { pg: Float64Array.from(client.pageMs), memory: memoryTimes, rows, mismatches, firstMismatch };
};

interface ShapeLine {
  readonly shape: string;
  readonly pg: Latency;
  readonly memory: Latency;
  readonly rows: number;
  /** The index of its slowest query on PostgreSQL. */
  readonly slowest: number;
}

const shapeLines = (queries: ReadonlyArray<Shaped>, timed: Timed): ShapeLine[] => {
  const groups = new Map<string, number[]>();
  queries.forEach((s, i) => {
    const g = groups.get(s.shape);
    if (g === undefined) groups.set(s.shape, [i]);
    else g.push(i);
  });
  return [...groups].map(([shape, indexes]) => lineOf(shape, indexes, timed)).sort((a, b) => a.shape.localeCompare(b.shape));
};

const lineOf = (shape: string, indexes: ReadonlyArray<number>, timed: Timed): ShapeLine => {
  let slowest = indexes[0] ?? 0;
  for (const i of indexes) if ((timed.pg[i] ?? 0) > (timed.pg[slowest] ?? 0)) slowest = i;
  const rows = indexes.reduce((n, i) => n + (timed.rows[i] ?? 0), 0) / Math.max(1, indexes.length);
  return { shape, pg: latencyOf(indexes.map((i) => timed.pg[i] ?? 0)), memory: latencyOf(indexes.map((i) => timed.memory[i] ?? 0)), rows, slowest };
};

const printLine = (l: ShapeLine): void =>
  console.log(
    `      ${l.shape.padEnd(36)} ${fmt(l.pg.n).padStart(5)}  pg p50 ${msOf(l.pg.p50).padStart(6)} p99 ${msOf(l.pg.p99).padStart(6)} max ${msOf(l.pg.max).padStart(6)}` +
      `  | memory p50 ${msOf(l.memory.p50).padStart(6)} p99 ${msOf(l.memory.p99).padStart(6)}  | p99 ×${(l.pg.p99 / Math.max(l.memory.p99, 1e-6)).toFixed(1).padStart(6)}  rows ${l.rows.toFixed(1)}`,
  );

// ------------------------------------------------------------------------------------------------ explain

/** Runs `work` on a one-connection pool whose session logs each statement's EXPLAIN ANALYZE (auto_explain) back to the client; answers the plans. */
const explained = async (url: string, work: (pool: Pool) => Promise<unknown>): Promise<ReadonlyArray<string>> => {
  const plans: string[] = [];
  const pool = newPool({ connectionString: url, max: 1, application_name: 'mc-bench-explain' });
  try {
    // The pool's one connection, set up first; `work` then runs on it.
    const client = await pool.connect();
    client.on('notice', (notice) => {
      if (notice.message !== undefined && notice.message.includes('Query Text')) plans.push(notice.message);
    });
    try {
      await client.query("LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on; SET auto_explain.log_buffers = on; SET client_min_messages = log");
    } catch (error: unknown) {
      plans.push(`(auto_explain unavailable: ${String(error)})`);
    } finally {
      client.release();
    }
    await work(pool);
  } finally {
    await pool.end();
  }
  return plans;
};

const printPlan = (title: string, plans: ReadonlyArray<string>): void => {
  console.log(`    EXPLAIN ANALYZE, ${title}:`);
  // The statement's text (and parameters) left out: the plan is what matters.
  for (const plan of plans) {
    const lines = plan.split('\n');
    // The plan's first line is the first with a node's cost or timing.
    const from = lines.findIndex((l) => l.includes('(actual time=') || l.includes('(cost='));
    console.log(`      ${lines[0] ?? ''}`);
    for (const l of lines.slice(Math.max(1, from))) console.log(`      ${l}`);
  }
};

// ------------------------------------------------------------------------------------------------ the section

/** Sums the `duration: … ms  <phase> <name>: <statement>` lines written since `offsets` by statement (its first 90 characters). */
const statementSummary = (logs: ReadonlyArray<string>, offsets: ReadonlyMap<string, number>): void => {
  const byStatement = new Map<string, { ms: number; count: number }>();
  let total = 0;
  for (const file of logs) {
    const text = readFileSync(file, 'utf8').slice(offsets.get(file) ?? 0);
    for (const m of text.matchAll(/duration: ([0-9.]+) ms {2}(parse|bind|execute|statement)[^:]*: ([\s\S]*?)(?=\n\d{4}-\d\d-\d\d |$)/g)) {
      const ms = Number(m[1]);
      const key = `${m[2] === 'statement' ? 'simple' : m[2]} ${(m[3] ?? '').replace(/\s+/g, ' ').trim().slice(0, 90)}`;
      const entry = byStatement.get(key) ?? { ms: 0, count: 0 };
      entry.ms += ms;
      entry.count += 1;
      byStatement.set(key, entry);
      total += ms;
    }
  }
  console.log(`    the inbox runner's statements, as the server timed them (${fmt(total)} ms in all):`);
  for (const [key, { ms, count }] of [...byStatement].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14))
    console.log(`      ${fmt(ms).padStart(8)} ms ${((100 * ms) / Math.max(1, total)).toFixed(0).padStart(3)} % ${fmt(count).padStart(7)}×  ${key}`);
};

const heapLimitMiB = (): number => getHeapStatistics().heap_size_limit / 2 ** 20;

export const postgresBench = async (): Promise<void> => {
  console.log(`\nRead models on PostgreSQL (issue 15, item 6; ${SMALL ? 'BENCH_SCALE=small' : 'full scale'}) — ${machineLine()}, commit ${commitOf()}`);
  // The store keeps the whole log on the heap (~0.9 KiB an event), beside the in-memory read models.
  if (!SMALL && heapLimitMiB() < 6_000)
    console.log(`  note: heap limit ${fmt(heapLimitMiB())} MiB; the full scale holds ~3 GB of log and read models: NODE_OPTIONS=--max-old-space-size=8192 is safer`);
  let start = performance.now();
  const world = generateWorld(CONVERSATIONS, MESSAGES);
  gc();
  const heapBefore = heapMiB();
  const { store, census, appends } = await fillStore(world);
  gc();
  console.log(
    `  the log: ${fmt(census.events)} events in ${fmt(appends)} appends into createInMemoryEventStore() (${seconds(performance.now() - start)}, setup; heap +${fmt(heapMiB() - heapBefore)} MiB): ` +
      `one business, so the largest has all ${fmt(world.clients.length)} conversations (${fmt(world.clients.filter((c) => c.telPhone !== null).length)} of them with numbers that match no client), ` +
      `${fmt(census.inbound)} inbound + ${fmt(census.outbound)} outbound messages, ${fmt(census.archived)} archived and ${fmt(census.pinned)} pinned at the end, B3 on from 60 % of the log`,
  );

  const db = await benchDatabase();
  const results: Result[] = [];
  const record = (r: Result): void => {
    results.push(r);
    console.log(`  ${r.held ? 'held  ' : 'MISSED'} ${r.goal}: ${r.ratio.toFixed(2)} (target ${r.target}) — ${r.measured}`);
  };
  try {
    console.log(`  server: ${db.server}`);
    const pool = newPool({ connectionString: db.url, max: 8, application_name: 'mc-bench' });
    try {
      // (a) Projection throughput: both runners together into the schema the queries read; each alone at the end.
      const rate = (ms: number): number => census.events / (ms / 1000);
      const pageNote = `pages of ${PAGE_SIZE ?? DEFAULT_PAGE_SIZE}`;
      const cpuNote = (run: ProjectionRun): string => `CPU: this process ${run.nodeCpu.toFixed(1)} s, the server ${run.serverCpu === null ? '?' : `${run.serverCpu.toFixed(1)} s`}`;
      console.log(`  (a) projection runners folding the whole log (${fmt(census.events)} events) into a fresh schema, ${pageNote}, from start to caughtUp():`);
      const schema = 'bench_read_models';
      const both = await runProjections(pool, db.postmasterPid, store, schema, [inboxPgProjection, usagePgProjection], 'inbox + usage together');
      console.log(
        `    ${both.label.padEnd(24)} ${fmt(rate(both.ms)).padStart(8)} events/s (${seconds(both.ms)}; ${both.runners.map((r) => `${r.name} caught up after ${seconds(r.ms)}, ${fmt(rate(r.ms))}/s, ${fmt(r.pipelined)} of ${fmt(r.batches)} batches folded while the one before was written`).join(', ')}; ${cpuNote(both)}; load ${loadLine()})`,
      );
      start = performance.now();
      // What autovacuum would have done by the time a host queries: visibility map and statistics.
      await pool.query('VACUUM ANALYZE');
      const sizes = await pool.query(
        `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind = 'r' AND pg_total_relation_size(c.oid) >= 1048576 ORDER BY 2 DESC`,
        [schema],
      );
      const sizeRows: ReadonlyArray<unknown> = sizes.rows;
      const described = sizeRows.map((r) => (typeof r === 'object' && r !== null && 'name' in r && 'bytes' in r ? `${String(r.name).replace('message_center_', '')} ${fmt(Number(r.bytes) / 2 ** 20)} MiB` : '?'));
      console.log(`    then VACUUM ANALYZE (${seconds(performance.now() - start)}); tables with their indexes: ${described.join(', ')}`);

      // The in-memory side on the same log: its first answer catches up the whole log.
      const memory = createInMemoryReadModelStore({ store });
      const viewer0 = actorOf(NEW_HIRE);
      gc();
      start = performance.now();
      await answer('in-memory first page', memory.inbox({ viewer: viewer0, businessId: BUSINESS, limit: PAGE }));
      const memoryFirst = performance.now() - start;
      gc();
      console.log(
        `  the in-memory read models (createInMemoryReadModelStore on the same store): first answer after ${seconds(memoryFirst)} (a catch-up of the whole log: ${fmt(rate(memoryFirst))} events/s); heap after gc ${fmt(heapMiB())} MiB`,
      );

      // (b) Inbox pages; (c) and (d) below. PostgreSQL's side is asked and timed by a worker thread whose heap
      // holds none of the log (postgres-client.ts); the in-memory side here, and every answer compared.
      start = performance.now();
      const queries = await shapedQueries(world, census, memory, QUERIES, 71);
      const warmUp = await shapedQueries(world, census, memory, Math.max(5, Math.round(QUERIES / 10)), 72);
      const client = await runClientJob({
        url: db.url,
        schema,
        warmUp: warmUp.map((s) => s.query),
        pages: queries.map((s) => s.query),
        badges: VIEWERS.map((staffId) => ({ viewer: actorOf(staffId), businessId: BUSINESS })),
        badgeCalls: BADGES,
        firstTries: FIRST_QUERY_TRIES,
      });
      const timed = await timeQueries(client, memory, queries, warmUp);
      const lines = shapeLines(queries, timed);
      const searchedIndexes = queries.flatMap((s, i) => (s.searched ? [i] : []));
      const searched = lineOf('all filter + search pages', searchedIndexes, timed);
      const allPages = lineOf('all pages', queries.map((_, i) => i), timed);
      console.log(
        `  (b) inbox pages of ${PAGE} at the business (${fmt(world.clients.length)} conversations), each timed alone (ms), ${fmt(queries.length)} pages in one shuffled order after ${fmt(warmUp.length)} warm-up pages ` +
          `(${seconds(performance.now() - start)}; load ${loadLine()}); answers equal to the in-memory side's: ${fmt(queries.length - timed.mismatches)} of ${fmt(queries.length)}` +
          (timed.firstMismatch === null ? '' : ` (first difference: ${timed.firstMismatch})`),
      );
      for (const l of lines) printLine(l);
      printLine(searched);
      printLine(allPages);
      const worst = [...lines].sort((a, b) => b.pg.p99 - a.pg.p99)[0] ?? allPages;
      const worstSearched = [...lines].filter((l) => l.shape.includes('search')).sort((a, b) => b.pg.p99 - a.pg.p99)[0] ?? searched;
      record({
        goal: '(b) inbox page with filter + search, p99 ≤ 10 ms',
        measured:
          `${fmt(searched.pg.n)} pages (filter + name prefix, phone digits, message word; view + filter + search): p99 ${msOf(searched.pg.p99)} ms, p50 ${msOf(searched.pg.p50)} ` +
          `(in memory p99 ${msOf(searched.memory.p99)}, p50 ${msOf(searched.memory.p50)}); worst of them "${worstSearched.shape}" p99 ${msOf(worstSearched.pg.p99)}; ` +
          `worst of every shape "${worst.shape}" p99 ${msOf(worst.pg.p99)} ms`,
        ratio: searched.pg.p99 / TARGET_PAGE_MS,
        target: `≤ 1 (${TARGET_PAGE_MS} ms)`,
        held: searched.pg.p99 <= TARGET_PAGE_MS,
      });

      // (c) The badge.
      start = performance.now();
      const badgeLines: Array<{ readonly viewer: string; readonly pg: Latency; readonly memory: Latency; readonly badge: number; readonly equal: boolean }> = [];
      for (const [v, staffId] of VIEWERS.entries()) {
        const query = { viewer: actorOf(staffId), businessId: BUSINESS };
        for (let w = 0; w < 5; w += 1) await answer('badge warm-up', memory.unreadBadge(query));
        const memoryTimes: number[] = [];
        let memoryBadge = 0;
        for (let i = 0; i < BADGES; i += 1) {
          const t = performance.now();
          memoryBadge = await answer('memory badge', memory.unreadBadge(query));
          memoryTimes.push(performance.now() - t);
        }
        const pgSide = client.badges[v];
        if (pgSide === undefined) throw new Error(`the client worker timed no badge for ${staffId}`);
        badgeLines.push({ viewer: staffId, pg: latencyOf(pgSide.ms), memory: latencyOf(memoryTimes), badge: pgSide.value, equal: pgSide.value === memoryBadge });
      }
      const pgBadgeP99 = Math.max(...badgeLines.map((l) => l.pg.p99));
      console.log(`  (c) unread badge, ${fmt(BADGES)} calls per viewer on each side (PostgreSQL's from the client worker), B3 on (ms):`);
      for (const l of badgeLines)
        console.log(
          `      ${l.viewer.padEnd(12)} pg p50 ${msOf(l.pg.p50).padStart(6)} p99 ${msOf(l.pg.p99).padStart(6)} max ${msOf(l.pg.max).padStart(6)}  | memory p50 ${msOf(l.memory.p50).padStart(6)} p99 ${msOf(l.memory.p99).padStart(6)}` +
            `  badge ${fmt(l.badge)}${l.equal ? ' (equal)' : ' (DIFFERS from the in-memory badge)'}`,
        );
      record({
        goal: '(c) unread badge p99 ≤ 2 ms',
        measured:
          `${VIEWERS.length} viewers × ${fmt(BADGES)}: worst viewer's p99 ${msOf(pgBadgeP99)} ms, p50 ${msOf(Math.min(...badgeLines.map((l) => l.pg.p50)))}–${msOf(Math.max(...badgeLines.map((l) => l.pg.p50)))} ` +
          `(in memory p99 ≤ ${msOf(Math.max(...badgeLines.map((l) => l.memory.p99)))})`,
        ratio: pgBadgeP99 / TARGET_BADGE_MS,
        target: `≤ 1 (${TARGET_BADGE_MS} ms)`,
        held: pgBadgeP99 <= TARGET_BADGE_MS,
      });

      // (d) A new instance's first answer: new pools in the client worker.
      const firsts = client.firstMs;
      const firstWorst = Math.max(...firsts);
      record({
        goal: '(d) a new instance answers its first query in < 1 s',
        measured: `new pool + pgReadModelStore to its first inbox page and badge: ${firsts.map(msOf).join(', ')} ms (${FIRST_QUERY_TRIES} new instances, no rebuild); in memory a new instance first catches up the log: ${seconds(memoryFirst)}`,
        ratio: firstWorst / TARGET_FIRST_MS,
        target: `≤ 1 (${fmt(TARGET_FIRST_MS)} ms, the worst)`,
        held: firstWorst < TARGET_FIRST_MS,
      });

      // What the planner did: the slowest page of each shape that missed (or of every shape), and a badge.
      if (EXPLAIN !== '0') {
        for (const l of lines) {
          if (EXPLAIN !== 'all' && l.pg.p99 <= TARGET_PAGE_MS) continue;
          const s = queries[l.slowest];
          if (s === undefined) continue;
          const plans = await explained(db.url, (p) => answer('explained page', pgReadModelStore(p, { schema }).inbox(s.query)));
          printPlan(`the slowest "${l.shape}" page (${msOf(timed.pg[l.slowest] ?? 0)} ms in the series: ${describeQuery(s.query)})`, plans);
        }
        if (EXPLAIN === 'all' || pgBadgeP99 > TARGET_BADGE_MS) {
          const worstViewer = [...badgeLines].sort((a, b) => b.pg.p99 - a.pg.p99)[0]?.viewer ?? NEW_HIRE;
          const plans = await explained(db.url, (p) => answer('explained badge', pgReadModelStore(p, { schema }).unreadBadge({ viewer: actorOf(must(StaffId.is, worstViewer)), businessId: BUSINESS })));
          printPlan(`the badge of ${worstViewer}`, plans);
        }
      }
      // The runner's statement that rewrites a batch's read marks, for 250 conversations (rolled back): see (a).
      if (EXPLAIN !== '0') {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const plan = await client.query(
            `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
             DELETE FROM ${schema}.message_center_inbox_read_marks m
              USING (SELECT business_id, conversation_id FROM ${schema}.message_center_inbox_conversations ORDER BY last_activity_ms DESC LIMIT 250) AS k(business_id, conversation_id)
              WHERE m.business_id = k.business_id AND m.conversation_id = k.conversation_id`,
          );
          await client.query('ROLLBACK');
          const planRows: ReadonlyArray<unknown> = plan.rows;
          printPlan('the inbox runner\'s DELETE of a batch\'s read marks, 250 conversations (rolled back)', [
            `duration: see "Execution Time"  plan:\n${planRows.map((r) => (typeof r === 'object' && r !== null && 'QUERY PLAN' in r ? String(r['QUERY PLAN']) : '')).join('\n')}`,
          ]);
        } finally {
          client.release();
        }
      }
      await both.stop();

      // (a) continued: each runner alone, into a schema of its own.
      const alone: ProjectionRun[] = [];
      for (const [projection, aloneSchema] of [
        [usagePgProjection, 'bench_usage_alone'],
        [inboxPgProjection, 'bench_inbox_alone'],
      ] as const) {
        if (!ALONE.includes(projection.name)) continue;
          const logged = STATEMENTS && projection === inboxPgProjection;
          const logOffsets = new Map(db.serverLogs().map((f) => [f, statSync(f).size]));
          if (logged) {
            // Without the parameters: a batch's arrays would make the log gigabytes long.
            await db.setForNewSessions('log_parameter_max_length', '0');
            await db.setForNewSessions('log_min_duration_statement', '0');
          }
          // A pool of its own, so that its sessions start with the setting.
          const runPool = logged ? newPool({ connectionString: db.url, max: 4, application_name: 'mc-bench-logged' }) : pool;
          const run = await runProjections(runPool, db.postmasterPid, store, aloneSchema, [projection], `${projection.name} alone`);
          await run.stop();
          if (logged) {
            await db.setForNewSessions('log_min_duration_statement', '-1');
            await runPool.end();
            statementSummary(db.serverLogs(), logOffsets);
          }
          alone.push(run);
          console.log(`    ${run.label.padEnd(24)} ${fmt(rate(run.ms)).padStart(8)} events/s (${seconds(run.ms)}; ${fmt(run.runners[0]?.applied ?? 0)} events applied; ${cpuNote(run)}; load ${loadLine()})`);
        }
      const inboxAlone = alone.find((r) => r.label.startsWith('inbox'));
      const usageAlone = alone.find((r) => r.label.startsWith('usage'));
      const together = rate(both.ms);
      const slowest = Math.min(...alone.map((r) => rate(r.ms)), together);
      record({
        goal: '(a) projection throughput ≥ 20,000 events/s',
        measured:
          `${fmt(census.events)} events: inbox + usage together ${fmt(together)}/s (${seconds(both.ms)})` +
          (inboxAlone === undefined ? '' : `; inbox alone ${fmt(rate(inboxAlone.ms))}/s (${seconds(inboxAlone.ms)})`) +
          (usageAlone === undefined ? '' : `; usage alone ${fmt(rate(usageAlone.ms))}/s (${seconds(usageAlone.ms)})`) +
          `; runner ${pageNote}`,
        ratio: slowest / TARGET_RATE,
        target: `≥ 1 (${fmt(TARGET_RATE)} events/s, the slowest run)`,
        held: slowest >= TARGET_RATE,
      });
    } finally {
      await pool.end();
    }
  } finally {
    await db.close();
  }
  console.log(`\n  | goal | ratio | target | held | measured |\n  | --- | ---: | --- | --- | --- |`);
  for (const r of results) console.log(`  | ${r.goal} | ${r.ratio.toFixed(2)} | ${r.target} | ${r.held ? 'yes' : '**no**'} | ${r.measured} |`);
  console.log(`  load after: ${loadLine()}; ${new Date().toISOString()}`);
};

/**
 * Contact history (R5): replays a generated history through the facade, then prints one client's timeline
 * now and as of a past moment — just before she texted STOP — with the conversation's state then and now.
 *
 *   npx -y pnpm@10 install && npx -y pnpm@10 --filter @message-center/example-contact-history start
 *
 * The history (`history.ts`) is generated from a seed, and the clock is set to each step's time before the
 * step runs, so the output is the same on every run. `SEED=7` (any whole number) generates another one.
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import {
  StaffId,
  createInMemorySmsTransport,
  createInMemoryNumberProvisioning,
  createMessageCenter,
  timestampFromMillis,
  type Clock,
  type ConversationFacts,
  type HistoryEntry,
  type MessageCenterError,
} from '@message-center/core';
import { folderFor } from '@message-center/core/internals';
import { storeFromEnvironment } from '../shared/store.js';
import { AUTOMATIONS, BUSINESS, CLIENTS, FOCUS, LANDLINE_CLIENT, STAFF, generateHistory, type Step } from './history.js';

const asked = process.env['SEED'] ?? '';
const seed = /^\d{1,9}$/.test(asked) ? Number(asked) : 6;
const history = generateHistory(seed);

// The replay sets the time; every command reads it, so each event carries its step's time.
let now = history.from;
const clock: Clock = { now: () => timestampFromMillis(now) };
/** E.164 cell phone → client, as `recordClient` stored them: inbound SMS come from these numbers. */
const cellPhonesE164 = new Map<string, string>();
const transport = createInMemorySmsTransport({
  // Theo's number is a landline: Twilio refuses texts to it for good.
  fail: (sms) =>
    cellPhonesE164.get(sms.to) === LANDLINE_CLIENT
      ? { code: 'not-a-mobile-number', message: 'The To phone number is not a mobile number', providerCode: 21614 }
      : null,
});
const persistence = await storeFromEnvironment();
// The business's account already holds its number for two-way SMS (issue 13: no suggestion needed).
const numbers = createInMemoryNumberProvisioning({ account: [BUSINESS.number], country: BUSINESS.country });
const mc = createMessageCenter({ store: persistence.store, transport, clock, numbers, ...(persistence.ids === undefined ? {} : { ids: persistence.ids }) });

const { businessId } = BUSINESS;
const staff = (staffId: string) => ({ kind: 'staff', businessId, staffId, permissions: ['send-email-sms'] }) as const;
/** The salon's own back end, which sets the business up and records clients (B0). */
const host = { kind: 'host', businessId } as const;
const viewer = staff('maya');

/** Runs a step and stops the program on an unexpected error. */
const run = async <A>(task: TE.TaskEither<MessageCenterError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
};

// ------------------------------------------------------------------------------------------------ formatting

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const two = (n: number): string => String(n).padStart(2, '0');
/** `Wed 03-11 18:07` (UTC); with seconds, `Wed 03-11 18:06:59.999`. */
const when = (at: string | number, precise = false): string => {
  const d = new Date(at);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  const seconds = precise ? `:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}` : '';
  return `${DAYS[d.getUTCDay()] ?? ''} ${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${time}${seconds}`;
};
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const preview = (body: string, n: number): string => {
  const chars = Array.from(body.replace(/\s+/g, ' '));
  return chars.length <= n ? chars.join('') : `${chars.slice(0, n - 1).join('')}…`;
};
const clientName = (clientId: string): string => CLIENTS.find((c) => c.clientId === clientId)?.name ?? clientId;

// ------------------------------------------------------------------------------------------------ replay

const replay = async (steps: ReadonlyArray<Step>): Promise<void> => {
  const enabled = await run(
    mc.enableMessageCenter({ businessId, actor: host, country: BUSINESS.country, number: BUSINESS.number, allotment: { messagesPerPeriod: 1000, overage: 'refuse' } }),
  );
  const messageIds = new Map<string, string>();
  const counts = new Map<string, number>();
  const refusals: string[] = [];
  const count = (what: string): void => {
    counts.set(what, (counts.get(what) ?? 0) + 1);
  };

  for (const step of steps) {
    now = step.at;
    switch (step.kind) {
      case 'record-client': {
        const { client } = step;
        const recorded = await run(mc.recordClient({ businessId, actor: host, ...client }));
        if (recorded.cellPhone !== null) cellPhonesE164.set(recorded.cellPhone, client.clientId);
        count('profile updates');
        break;
      }
      case 'send': {
        const actor = step.author.kind === 'staff' ? staff(step.author.staffId) : ({ kind: 'automation', businessId, name: step.author.name } as const);
        const sent = await mc.sendMessage({ businessId, clientId: step.clientId, actor, body: step.body })();
        if (E.isLeft(sent)) {
          // V3: while a client is unsubscribed every outbound is refused — nothing reaches the history.
          refusals.push(`${when(step.at)}  ${step.author.kind === 'staff' ? step.author.staffId : step.author.name} → ${clientName(step.clientId)}: ${sent.left.code}`);
          break;
        }
        messageIds.set(step.key, sent.right.messageId);
        count('messages out');
        if (sent.right.status === 'failed') count('failed');
        break;
      }
      case 'receive': {
        const from = [...cellPhonesE164].find(([, id]) => id === step.clientId)?.[0];
        if (from === undefined) throw new Error(`no cell phone for ${step.clientId}`);
        await run(mc.receiveInbound({ to: enabled.number, from, body: step.body, providerMessageId: step.sid }));
        count('messages in');
        break;
      }
      case 'status': {
        const messageId = messageIds.get(step.key);
        const sms = messageId === undefined ? undefined : transport.sent.find((s) => s.messageId === messageId);
        if (sms === undefined) break;
        await run(mc.recordDeliveryStatus({ providerMessageId: sms.providerMessageId, status: step.status, errorCode: step.errorCode }));
        count('delivery callbacks');
        break;
      }
      case 'read':
        await run(mc.markRead({ businessId, conversationId: step.clientId, actor: staff(step.staffId) }));
        count('reads');
        break;
      case 'archive':
        await run(mc.archive({ businessId, conversationId: step.clientId, actor: staff(step.staffId) }));
        count('archives');
        break;
    }
  }
  console.log(
    `Replayed ${steps.length} steps from ${when(history.from).slice(4, 9)} to ${when(history.to - 1).slice(4, 9)} (UTC): ` +
      `${CLIENTS.length} clients, staff ${STAFF.join(', ')}, automations ${Object.values(AUTOMATIONS).join(', ')}`,
  );
  const n = (what: string): number => counts.get(what) ?? 0;
  console.log(
    `   ${n('profile updates')} profile updates · ${n('messages out')} messages out (${n('failed')} failed: Theo's number is a landline) · ` +
      `${n('messages in')} in · ${n('delivery callbacks')} delivery callbacks · ${n('reads')} reads · ${n('archives')} archives`,
  );
  // A refused command appends nothing, so it is in no history.
  for (const r of refusals) console.log(`   refused, nothing recorded: ${r}`);
};

// ------------------------------------------------------------------------------------------------ printing

const authorOf = (entry: HistoryEntry): string => {
  switch (entry.kind) {
    case 'inbound':
      return 'client';
    case 'outbound':
      return entry.author.kind === 'staff' ? `staff ${entry.author.staffId}` : `auto ${entry.author.name}`;
    default:
      return '';
  }
};

const deliveryOf = (entry: HistoryEntry): string => {
  if (entry.kind !== 'outbound') return '';
  const { status, errorCode, failure } = entry.delivery;
  const why = [errorCode === null ? '' : `error ${errorCode}`, failure === null ? '' : failure.reason].filter((s) => s !== '').join(', ');
  return why === '' ? status : `${status} (${why})`;
};

const timeline = (entries: ReadonlyArray<HistoryEntry>, cut: { readonly at: string; readonly label: string } | null): void => {
  console.log(`   ${pad('time (UTC)', 16)} ${pad('', 5)} ${pad('author', 27)} ${pad('message', 56)} delivery`);
  let marked = cut === null;
  for (const entry of entries) {
    if (!marked && cut !== null && entry.at > cut.at) {
      console.log(`   ${'┄'.repeat(16)} ${cut.label} ${'┄'.repeat(16)}`);
      marked = true;
    }
    if (entry.kind === 'inbound' || entry.kind === 'outbound') {
      const direction = entry.kind === 'inbound' ? '← in' : '→ out';
      console.log(`   ${pad(when(entry.at), 16)} ${pad(direction, 5)} ${pad(authorOf(entry), 27)} ${pad(preview(entry.body, 54), 56)} ${deliveryOf(entry)}`.trimEnd());
    } else {
      const what = entry.kind === 'unsubscribed' ? '⊘ OPTED OUT' : '✓ OPTED IN';
      const why = entry.source === 'keyword' ? `keyword ${entry.keyword ?? '?'}` : entry.source;
      console.log(`   ${pad(when(entry.at), 16)} ${what} — ${why}${entry.kind === 'unsubscribed' ? ': every outbound is refused from now on' : ''}`);
    }
  }
};

const stateLines = (conversation: ConversationFacts, entries: ReadonlyArray<HistoryEntry>): ReadonlyArray<readonly [string, string]> => {
  const s = conversation.subscription;
  const inbound = entries.filter((e) => e.kind === 'inbound').length;
  const outbound = entries.filter((e) => e.kind === 'outbound').length;
  // The business keeps B3 off, so Maya sees the shared read status.
  const maya = StaffId.is(viewer.staffId) ? folderFor(conversation, viewer.staffId, false) : '?';
  const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
  return [
    ['subscription', s.changedAt === null ? s.status : `${s.status} (${s.keyword ?? s.source ?? ''}, ${when(s.changedAt)})`],
    ['messages', `${conversation.lastSeq} (${outbound} out, ${inbound} in)`],
    ['last activity', conversation.lastActivityAt === null ? '—' : when(conversation.lastActivityAt)],
    ['folder for maya', maya],
    ['archived / pinned / muted', `${yesNo(conversation.archived)} / ${yesNo(conversation.pinned)} / ${yesNo(conversation.muted)}`],
  ];
};

// ------------------------------------------------------------------------------------------------ main

console.log(`Store: ${persistence.describe}`);
console.log(`Contact history — a generated history of ${BUSINESS.name} replayed through the facade (seed ${seed})\n`);
await replay(history.steps);

const current = await run(mc.contactHistory({ businessId, viewer, clientId: FOCUS }));
const stop = current.entries.find((e) => e.kind === 'unsubscribed');
const start = current.entries.find((e) => e.kind === 'resubscribed');
if (stop === undefined || start === undefined) throw new Error('the generated history has no opt-out and opt-in');
// "As of t" holds the events with at <= t: one millisecond before the STOP, it has not happened yet.
const justBefore = (at: string) => timestampFromMillis(Date.parse(at) - 1);
const asOf = justBefore(stop.at);
const beforeStop = await run(mc.contactHistory({ businessId, viewer, clientId: FOCUS, asOf }));
const beforeStart = await run(mc.contactHistory({ businessId, viewer, clientId: FOCUS, asOf: justBefore(start.at) }));

const name = current.client?.name ?? FOCUS;
const phone = current.client?.cellPhone.e164 ?? '';
console.log(`\n▸ ${name} (${FOCUS}, ${phone}) — her whole history, now (${current.entries.length} entries)`);
timeline(current.entries, { at: asOf, label: `as of ${when(asOf, true)}` });

console.log(`\n▸ The same history as of ${when(asOf, true)}, one millisecond before her STOP (${beforeStop.entries.length} entries)`);
timeline(beforeStop.entries, null);
// Delivery too is as it stood then: a receipt that came in after the cut is not in it.
for (const then of beforeStop.entries) {
  const later = current.entries.find((e) => e.kind === 'outbound' && then.kind === 'outbound' && e.messageId === then.messageId);
  if (then.kind === 'outbound' && later?.kind === 'outbound' && later.delivery.status !== then.delivery.status)
    console.log(
      `   ↳ "${preview(then.body, 30)}" was ${then.delivery.status} then; ${later.delivery.status} now (receipt at ${when(later.delivery.updatedAt, true)})`,
    );
}

console.log('\n▸ Her conversation and profile (as last recorded by then), as of three moments');
const columns = [beforeStop, beforeStart, current].map((h) => [
  ...stateLines(h.conversation, h.entries),
  ['e-mail', h.client?.email ?? '—'],
  ['groups', h.client?.groups.join(', ') ?? '—'],
]);
const labels = columns[0]?.map(([label]) => label) ?? [];
const line = (label: string, cells: ReadonlyArray<string>): void => console.log(`   ${pad(label, 26)} ${cells.map((c) => pad(c, 37)).join(' ')}`.trimEnd());
line('', ['just before STOP', 'just before START', 'now']);
line('', [when(asOf, true), when(justBefore(start.at), true), when(now)]);
for (const [i, label] of labels.entries()) line(label, columns.map((c) => c[i]?.[1] ?? ''));

// The inbox finds her by a word prefix of her name, accents ignored (R2); `all` leaves out archived ones.
for (const view of ['all', 'archived'] as const) {
  const page = await run(mc.inbox({ businessId, viewer, view, search: 'ines' }));
  for (const row of page.rows)
    console.log(
      `\n▸ Maya's inbox, view "${view}", search "ines": ${row.client?.name ?? row.phone} — folder ${row.folder}, ${row.unreadCount} unread, ` +
        `${row.messageCount} messages, subscription ${row.subscription.status}`,
    );
}

await persistence.close();

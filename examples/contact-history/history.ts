/**
 * A generated history for the contact-history example: a dental practice, five clients, three weeks of
 * texts in and out by three staff members and two automations, delivery callbacks, reads and archives —
 * and one client (Inès) who texts STOP and, a week later, START.
 *
 * Pure and deterministic: the same seed gives the same steps. `main.ts` replays them through the facade,
 * setting the clock to each step's time first, so every event carries the time the step says.
 */

/** mulberry32: a tiny seeded PRNG (Math.random cannot be seeded). */
export const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export interface ClientSpec {
  readonly clientId: string;
  readonly uid: string;
  readonly name: string;
  readonly email: string;
  readonly cellPhone: string;
  readonly clientType: string;
  readonly groups: ReadonlyArray<string>;
  readonly homeLocation: string;
}

export type StepAuthor = { readonly kind: 'staff'; readonly staffId: string } | { readonly kind: 'automation'; readonly name: string };

/** What happens at one moment. `key` names an outbound message so that its delivery callbacks find it. */
export type Step =
  | { readonly kind: 'record-client'; readonly at: number; readonly client: ClientSpec }
  | { readonly kind: 'send'; readonly at: number; readonly clientId: string; readonly author: StepAuthor; readonly body: string; readonly key: string }
  | { readonly kind: 'receive'; readonly at: number; readonly clientId: string; readonly body: string; readonly sid: string }
  | { readonly kind: 'status'; readonly at: number; readonly key: string; readonly status: 'sent' | 'delivered' | 'undelivered'; readonly errorCode: number | null }
  | { readonly kind: 'read'; readonly at: number; readonly clientId: string; readonly staffId: string }
  | { readonly kind: 'archive'; readonly at: number; readonly clientId: string; readonly staffId: string };

export const BUSINESS = {
  businessId: 'bright-smile-dental',
  name: 'Bright Smile Dental',
  country: 'US',
  number: '(415) 555-0100',
} as const;

export const STAFF = ['maya', 'omar', 'lena'] as const;
export const AUTOMATIONS = { reminders: 'appointment-reminders', marketing: 'spring-offers' } as const;

/** The client whose timeline is printed. */
export const FOCUS = 'c-102';

export const CLIENTS: ReadonlyArray<ClientSpec> = [
  { clientId: 'c-101', uid: 'BSD-0101', name: 'Marcus Webb', email: 'marcus.webb@example.com', cellPhone: '415.555.0142', clientType: 'patient', groups: ['hygiene'], homeLocation: 'Mission' },
  { clientId: FOCUS, uid: 'BSD-0102', name: 'Inès Duarte', email: 'ines.duarte@example.com', cellPhone: '(415) 555-0173', clientType: 'patient', groups: ['new-patient'], homeLocation: 'Mission' },
  { clientId: 'c-103', uid: 'BSD-0103', name: 'Zoë Ørsted', email: 'zoe@example.org', cellPhone: '+1 628 555 0107', clientType: 'patient', groups: ['orthodontics'], homeLocation: 'Sunset' },
  { clientId: 'c-104', uid: 'BSD-0104', name: 'Priya Raman', email: 'priya.r@example.net', cellPhone: '628-555-0188', clientType: 'family', groups: ['hygiene', 'family-plan'], homeLocation: 'Sunset' },
  { clientId: 'c-105', uid: 'BSD-0105', name: 'Theo Grant', email: 'theo.grant@example.com', cellPhone: '415 555 0119', clientType: 'patient', groups: ['hygiene'], homeLocation: 'Mission' },
];

/** Theo's "cell phone" is a landline: the provider refuses every text to it (Twilio 21614). */
export const LANDLINE_CLIENT = 'c-105';

const START = Date.UTC(2026, 2, 2); // Monday 2 March 2026, 00:00 UTC
const DAYS = 21;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

// Inès opts out on day 9 and back in on day 15; her generated threads leave that week to the script.
const STOP_DAY = 9;
const START_DAY = 15;

/** Exchanges that make sense when read back: who speaks first, then turns alternate. */
interface Script {
  readonly opener: 'staff' | 'client';
  readonly turns: ReadonlyArray<string>;
}
const SCRIPTS: ReadonlyArray<Script> = [
  { opener: 'staff', turns: ['Hi {first}, this is {business}. Your six-month cleaning is due — would next Tuesday at 9:00 suit you?', 'Could we do 4pm instead?', '4pm works — you are booked for Tuesday at 4.', 'Perfect, thanks!'] },
  { opener: 'staff', turns: ['Hi {first}, we have a cancellation tomorrow at 9:30 if you would like an earlier slot.', 'Yes please!', 'Done — see you tomorrow at 9:30.'] },
  { opener: 'staff', turns: ['Hello {first}, your X-rays are back and everything looks good.', 'Great news, thank you'] },
  { opener: 'staff', turns: ['Hi {first}, just checking how the sensitivity is after Tuesday’s filling.', 'Much better now, thanks for asking', 'Glad to hear it! Call us if it comes back.'] },
  { opener: 'staff', turns: ['Hi {first}, your insurance pre-approval came through. Shall we book the crown?', 'Yes, any time Thursday morning', 'Thursday at 10:00 it is. We will text a reminder the day before.', '👍'] },
  { opener: 'client', turns: ['Hi, can I move my appointment to Friday afternoon?', 'Friday at 2:30 is free — shall I book it?', 'Yes please', 'Moved. See you Friday at 2:30!'] },
  { opener: 'client', turns: ['Do you take Delta Dental?', 'Yes, we take Delta Dental PPO. Bring your card to the visit.', 'Thanks!'] },
  { opener: 'client', turns: ['My tooth has been aching since yesterday, do you have anything today?', 'We can see you at 2:15 today.', 'I’ll be there, thank you'] },
  { opener: 'client', turns: ['Running 10 minutes late, sorry!', 'No problem, we will keep your slot.'] },
  { opener: 'client', turns: ['Is parking validated at the front desk?', 'Yes — bring the ticket to reception.'] },
];
const REMINDER = 'Reminder: {first}, you have an appointment at {business} tomorrow at 10:30. Reply C to confirm.';
const CONFIRMATIONS = ['C', 'Confirmed, thanks', 'C - see you tomorrow'];

const fill = (template: string, client: ClientSpec): string =>
  template.replaceAll('{first}', client.name.split(' ')[0] ?? client.name).replaceAll('{business}', BUSINESS.name);

/** A status callback `after` ms after the send. */
interface Callback {
  readonly after: number;
  readonly status: 'sent' | 'delivered';
}

export interface GeneratedHistory {
  readonly steps: ReadonlyArray<Step>;
  readonly from: number;
  readonly to: number;
}

export const generateHistory = (seed: number): GeneratedHistory => {
  const random = prng(seed);
  const pick = <A>(xs: ReadonlyArray<A>): A => {
    const x = xs[Math.floor(random() * xs.length)];
    if (x === undefined) throw new Error('pick from an empty list');
    return x;
  };
  const between = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const steps: Step[] = [];
  let keys = 0;
  let sids = 0;

  /** An outbound message and the status callbacks Twilio would send for it. */
  const send = (at: number, client: ClientSpec, author: StepAuthor, body: string, callbacks?: ReadonlyArray<Callback>): void => {
    const key = `m${++keys}`;
    steps.push({ kind: 'send', at, clientId: client.clientId, author, body, key });
    if (client.clientId === LANDLINE_CLIENT) return; // refused at send: no callbacks follow
    const sec = 1000;
    if (callbacks !== undefined) {
      for (const c of callbacks) steps.push({ kind: 'status', at: at + c.after, key, status: c.status, errorCode: null });
      return;
    }
    const roll = random();
    if (roll < 0.84) {
      steps.push({ kind: 'status', at: at + 2 * sec, key, status: 'sent', errorCode: null });
      steps.push({ kind: 'status', at: at + between(8, 40) * sec, key, status: 'delivered', errorCode: null });
    } else if (roll < 0.92) {
      // Out of order: `delivered` first, then a late `sent` that must not overwrite it (V10).
      steps.push({ kind: 'status', at: at + between(5, 15) * sec, key, status: 'delivered', errorCode: null });
      steps.push({ kind: 'status', at: at + between(20, 60) * sec, key, status: 'sent', errorCode: null });
    } else {
      // 30003: unreachable handset.
      steps.push({ kind: 'status', at: at + 2 * sec, key, status: 'sent', errorCode: null });
      steps.push({ kind: 'status', at: at + between(60, 300) * sec, key, status: 'undelivered', errorCode: 30003 });
    }
  };
  const receive = (at: number, client: ClientSpec, body: string): void => {
    steps.push({ kind: 'receive', at, clientId: client.clientId, body, sid: `SMin${String(++sids).padStart(6, '0')}` });
  };

  for (const client of CLIENTS) steps.push({ kind: 'record-client', at: START + 7 * 60 * MINUTE, client });

  const scriptQueues = new Map<string, Script[]>();
  const nextScript = (clientId: string): Script => {
    let queue = scriptQueues.get(clientId) ?? [];
    if (queue.length === 0) {
      queue = [...SCRIPTS];
      for (let i = queue.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        const [a, b] = [queue[i], queue[j]];
        if (a !== undefined && b !== undefined) [queue[i], queue[j]] = [b, a];
      }
      scriptQueues.set(clientId, queue);
    }
    const script = queue.pop();
    if (script === undefined) throw new Error('no scripts');
    return script;
  };

  /** One exchange: a script (sometimes cut short), staff reading what came in before answering, maybe an archive. */
  const thread = (dayStart: number, client: ClientSpec): void => {
    let t = dayStart + between(8 * 60, 17 * 60) * MINUTE;
    if (random() < 0.25) {
      send(t, client, { kind: 'automation', name: AUTOMATIONS.reminders }, fill(REMINDER, client));
      if (random() < 0.8) receive(t + between(5, 180) * MINUTE, client, pick(CONFIRMATIONS));
      return;
    }
    // Each client goes through the scripts in a shuffled order, so a timeline does not repeat itself soon.
    const script = nextScript(client.clientId);
    const staff = { kind: 'staff', staffId: pick(STAFF) } as const;
    const turns = random() < 0.8 ? script.turns.length : between(1, script.turns.length);
    let clientTurn = script.opener === 'client';
    for (const [i, turn] of script.turns.slice(0, turns).entries()) {
      if (i > 0) t += between(2, 90) * MINUTE;
      if (clientTurn) receive(t, client, fill(turn, client));
      else {
        // Whoever answers has opened the conversation first.
        if (i > 0) steps.push({ kind: 'read', at: t - MINUTE, clientId: client.clientId, staffId: staff.staffId });
        send(t, client, staff, fill(turn, client));
      }
      clientTurn = !clientTurn;
    }
    // The client spoke last: someone usually opens it later.
    if (!clientTurn && random() < 0.7) steps.push({ kind: 'read', at: t + between(5, 120) * MINUTE, clientId: client.clientId, staffId: pick(STAFF) });
    if (random() < 0.25) steps.push({ kind: 'archive', at: t + between(120, 240) * MINUTE, clientId: client.clientId, staffId: pick(STAFF) });
  };

  for (let day = 0; day < DAYS; day += 1) {
    const dayStart = START + day * DAY;
    for (const client of CLIENTS) {
      if (client.clientId === FOCUS && day >= STOP_DAY && day <= START_DAY) continue;
      if (random() < (client.clientId === FOCUS ? 0.5 : 0.3)) thread(dayStart, client);
    }
  }

  // Inès's scripted week: a marketing text, STOP, a refused reminder, a profile update, START, welcome back.
  const ines = CLIENTS.find((c) => c.clientId === FOCUS);
  if (ines === undefined) throw new Error('the focus client is missing');
  const stopDay = START + STOP_DAY * DAY;
  // Her handset's delivery receipt lags: `delivered` comes in after her STOP, so as of just before the
  // STOP the offer was only `sent`.
  send(stopDay + 18 * 60 * MINUTE, ines, { kind: 'automation', name: AUTOMATIONS.marketing }, `${BUSINESS.name}: 20% off whitening until Friday! Reply STOP to opt out.`, [
    { after: 2_000, status: 'sent' },
    { after: 9 * MINUTE, status: 'delivered' },
  ]);
  receive(stopDay + 18 * 60 * MINUTE + 7 * MINUTE, ines, 'Stop');
  send(stopDay + 2 * DAY + 16 * 60 * MINUTE, ines, { kind: 'automation', name: AUTOMATIONS.reminders }, fill(REMINDER, ines));
  steps.push({
    kind: 'record-client',
    at: stopDay + 3 * DAY + 11 * 60 * MINUTE,
    client: { ...ines, email: 'ines@duarte.studio', groups: ['new-patient', 'whitening'] },
  });
  const startDay = START + START_DAY * DAY;
  receive(startDay + 10 * 60 * MINUTE + 12 * MINUTE, ines, 'START');
  steps.push({ kind: 'read', at: startDay + 10 * 60 * MINUTE + 40 * MINUTE, clientId: FOCUS, staffId: 'lena' });
  send(startDay + 10 * 60 * MINUTE + 41 * MINUTE, ines, { kind: 'staff', staffId: 'lena' }, 'Welcome back, Inès! Your whitening consult is still on for Thursday at 3pm.', [
    { after: 2_000, status: 'sent' },
    { after: 12_000, status: 'delivered' },
  ]);
  receive(startDay + 10 * 60 * MINUTE + 55 * MINUTE, ines, 'Great, see you Thursday');

  // Stable sort: steps at the same instant keep the order they were generated in.
  return { steps: [...steps].sort((a, b) => a.at - b.at), from: START, to: START + DAYS * DAY };
};

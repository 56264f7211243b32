import { createInMemoryEventStore, createInMemoryNumberProvisioning, createInMemorySmsTransport, createMessageCenter } from '@message-center/core';
const NUMBER = '+14155550100'; const B = 'bench-business';
const host = { kind: 'host', businessId: B } as const;
const staff = { kind: 'staff', businessId: B, staffId: 'dana', permissions: ['send-email-sms'] } as const;
const mc = createMessageCenter({ store: createInMemoryEventStore(), transport: createInMemorySmsTransport(), numbers: createInMemoryNumberProvisioning({ account: [NUMBER] }) });
const must = async (t: () => Promise<any>) => { const r = await t(); if (r._tag === 'Left') throw new Error(r.left.message); return r.right; };
await must(mc.enableMessageCenter({ businessId: B, actor: host, country: 'US', number: NUMBER, allotment: { messagesPerPeriod: 10_000_000, overage: 'allow' } }));
for (let c = 0; c < 40; c++) await must(mc.recordClient({ businessId: B, actor: host, clientId: `client-${c}`, uid: `u${c}`, name: 'C', cellPhone: `+141555600${String(c).padStart(2,'0')}` }));
let k = 0;
const N = Number(process.env.N ?? 3000);
for (let i = 0; i < N; i++) i % 2 ? await must(mc.sendMessage({ businessId: B, clientId: 'client-0', actor: staff, body: 'Thursday at 3 works, see you then.' })) : await must(mc.receiveInbound({ to: NUMBER, from: '+14155560000', body: 'Can I move my appointment to Thursday?', providerMessageId: `SM${k++}` }));

const block = async (c: number) => { const t = performance.now(); for (let i = 0; i < 50; i++) await must(mc.sendMessage({ businessId: B, clientId: `client-${c}`, actor: staff, body: 'Thursday at 3 works, see you then.' })); return performance.now() - t; };
let L = 0, F = 0;
for (let r = 0; r < 30; r++) { const l = await block(0); const f = await block(r + 1); if (r >= 5) { L += l; F += f; } }
console.log('long', (L / 25 / 50 * 1000).toFixed(0), 'fresh', (F / 25 / 50 * 1000).toFixed(0), 'ratio', (L / F).toFixed(2));

// Inbox histories with more of what R7 reads: messages coming in (from clients and strangers) and muting
// switched on and off among them, so that messages arrive in muted conversations (V8) and windows fill.
import { fc } from '@fast-check/vitest';
import { inboxHistoryArb, type ConversationAction, type HistoryStep } from './histories.js';

const business = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) });
// The conversations of the clients' phones 0–2 and of the stranger's (index 6: `tel:` of phone 3), as the histories number them.
const conversation = fc.constantFrom(0, 1, 2, 6);

const alertStep: fc.Arbitrary<HistoryStep> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('inbound' as const), business, phone: fc.nat({ max: 3 }), body: fc.nat({ max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flag' as const), business, action: fc.constantFrom<ConversationAction>('mute', 'unmute'), conversation }) },
);

/** An inbox history with up to 20 more inbound messages and mute switches spread through it. */
export const alertsHistoryArb = (): fc.Arbitrary<ReadonlyArray<HistoryStep>> =>
  fc.tuple(inboxHistoryArb(40), fc.array(fc.tuple(fc.nat({ max: 100 }), alertStep), { maxLength: 20 })).map(([history, extra]) => {
    const steps = [...history];
    // Inserted from the last position back, so that the earlier positions stay where they were drawn.
    for (const [at, step] of [...extra].sort(([a], [b]) => b - a)) steps.splice(Math.max(3, Math.floor((steps.length * at) / 100)), 0, step);
    // Every history ends with a message into a muted conversation (V8), whatever was drawn before it.
    return [...steps, { kind: 'flag', business: 0, action: 'mute', conversation: 0 }, { kind: 'inbound', business: 0, phone: 0, body: 0 }, { kind: 'flag', business: 0, action: 'unmute', conversation: 0 }];
  });

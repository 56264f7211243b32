import {
  BusinessId,
  ClientId,
  MessageId,
  ProviderMessageId,
  StaffId,
  E164,
  timestampFromMillis,
} from '@message-center/core';
import { type ConversationEvent } from '@message-center/core/internals';

const must = <A>(is: (u: unknown) => u is A, value: string): A => {
  if (!is(value)) throw new RangeError(`workload value rejected by its codec: ${value}`);
  return value;
};

/** A small deterministic PRNG (mulberry32), so every run folds exactly the same events. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const STAFF = ['s1', 's2', 's3', 's4'].map((s) => must(StaffId.is, s));
const BUSINESS = must(BusinessId.is, 'bench-business');
const BUSINESS_NUMBER = must(E164.is, '+12015550123');
/** Every conversation its own client's phone (US, 415-2xx-xxxx), so phone checks meet as many numbers as clients. */
const clientPhone = (c: number): E164 => must(E164.is, `+1415${200 + Math.floor(c / 10_000)}${String(c % 10_000).padStart(4, '0')}`);
const STATUSES = ['sent', 'delivered', 'sent', 'delivered', 'undelivered'] as const;

/**
 * `conversations` streams of `perConversation` events each, shaped like a busy inbox: mostly inbound and
 * outbound messages, dispatches and status callbacks, reads, and a few mark-unread, archive, mute and pin.
 */
export const generateWorkload = (conversations: number, perConversation: number, seed = 42): ConversationEvent[][] => {
  const random = prng(seed);
  let clock = Date.UTC(2026, 0, 1);
  const streams: ConversationEvent[][] = [];
  for (let c = 0; c < conversations; c += 1) {
    const conversationId = must(ClientId.is, `client-${c}`);
    const CLIENT_PHONE = clientPhone(c);
    const events: ConversationEvent[] = [
      { type: 'ConversationStarted', data: { businessId: BUSINESS, conversationId, clientId: conversationId, phone: CLIENT_PHONE, at: timestampFromMillis(clock) } },
    ];
    let seq = 0;
    const undispatched: MessageId[] = [];
    const dispatched: Array<{ readonly messageId: MessageId; readonly providerMessageId: ProviderMessageId }> = [];
    const flags = { archived: false, muted: false, pinned: false };
    while (events.length < perConversation) {
      clock += 1000 + Math.floor(random() * 60_000);
      const at = timestampFromMillis(clock);
      const roll = random();
      const staffId = STAFF[Math.floor(random() * STAFF.length)] ?? STAFF[0];
      if (staffId === undefined) throw new Error('no staff');
      if (roll < 0.3) {
        seq += 1;
        events.push({
          type: 'InboundReceived',
          data: { messageId: must(MessageId.is, `c${c}-in-${seq}`), seq, providerMessageId: must(ProviderMessageId.is, `SMi${c}x${seq}`), from: CLIENT_PHONE, to: BUSINESS_NUMBER, body: 'Sure, see you then!', media: [], segments: 1, at },
        });
      } else if (roll < 0.5) {
        seq += 1;
        const messageId = must(MessageId.is, `c${c}-out-${seq}`);
        undispatched.push(messageId);
        events.push({
          type: 'OutboundSent',
          data: { messageId, seq, author: { kind: 'staff', staffId }, from: BUSINESS_NUMBER, to: CLIENT_PHONE, body: 'Your appointment is confirmed.', segments: 1, overage: false, at },
        });
      } else if (roll < 0.62 && undispatched.length > 0) {
        const messageId = undispatched.shift();
        if (messageId === undefined) continue;
        const providerMessageId = must(ProviderMessageId.is, `SMo${messageId}`);
        dispatched.push({ messageId, providerMessageId });
        // The outbox claims a message before handing it over (issue 12), then records the outcome.
        const expiresAt = timestampFromMillis(clock + 300_000);
        events.push({ type: 'OutboundClaimed', data: { messageId, claimId: must(MessageId.is, `claim-${messageId}`), from: BUSINESS_NUMBER, to: CLIENT_PHONE, expiresAt, at } });
        events.push({ type: 'OutboundDispatched', data: { messageId, providerMessageId, status: 'queued', at } });
      } else if (roll < 0.78 && dispatched.length > 0) {
        const target = dispatched[Math.floor(random() * dispatched.length)];
        if (target === undefined) continue;
        const status = STATUSES[Math.floor(random() * STATUSES.length)] ?? 'sent';
        events.push({ type: 'DeliveryStatusUpdated', data: { ...target, status, errorCode: status === 'undelivered' ? 30003 : null, at } });
      } else if (roll < 0.9) {
        events.push({ type: 'ConversationRead', data: { staffId, upToSeq: seq, at } });
      } else if (roll < 0.93) {
        events.push({ type: 'ConversationMarkedUnread', data: { staffId, at } });
      } else {
        const which = roll < 0.96 ? 'archived' : roll < 0.98 ? 'muted' : 'pinned';
        const by = { kind: 'staff' as const, staffId };
        const on = !flags[which];
        flags[which] = on;
        events.push(
          which === 'archived'
            ? { type: on ? 'ConversationArchived' : 'ConversationUnarchived', data: { by, at } }
            : which === 'muted'
              ? { type: on ? 'ConversationMuted' : 'ConversationUnmuted', data: { by, at } }
              : { type: on ? 'ConversationPinned' : 'ConversationUnpinned', data: { by, at } },
        );
      }
    }
    streams.push(events);
  }
  return streams;
};

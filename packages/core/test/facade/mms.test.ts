/**
 * Issue 13, MMS through the facade: V2 "MMS media (URL, content type) is part of the message". An inbound
 * message carries 0 to 10 media; they reach the contact history in order; a media-only message (empty body)
 * is one message like any other (B4); the inbox and alerts show a label for it, search reads text only
 * (R2); opt-out keywords are read from the body alone (V3). Malformed media are refused as invalid-input
 * and append nothing.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { E164, MAX_MEDIA_PER_MESSAGE, Media, type ReceiveInboundInput } from '@message-center/core';
import { mediaListArb } from '@message-center/testing';
import { B1, clientId, enableUs, must, newWorld, ok, refusedAppendingNothing, staffOf, storedEvents, type World } from './support.js';

const NUMBER = must(E164.is, '+12015550123');
const ANA_PHONE = '+14155552671';
const ANA = clientId('ana');
const dana = staffOf(B1, 'dana');

const sid = (n: number): string => `MM${n.toString(16).padStart(32, '0')}`;
const file = (contentType: string, n = 1): Media =>
  must(Media.is, { url: `https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Messages/${sid(1)}/Media/ME${String(n).padStart(32, '0')}`, contentType });

const withAna = async (): Promise<World> => {
  const world = newWorld();
  await enableUs(world, B1, NUMBER);
  await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: ANA, uid: 'A-1', name: 'Ana Lima', cellPhone: ANA_PHONE }));
  return world;
};

const inbound = (n: number, body: string, media?: ReceiveInboundInput['media']): ReceiveInboundInput => ({
  to: NUMBER,
  from: ANA_PHONE,
  body,
  providerMessageId: sid(n),
  ...(media === undefined ? {} : { media }),
});

const historyOf = async (world: World) => (await ok(world.mc.contactHistory({ businessId: B1, viewer: dana, clientId: ANA }))).entries;
const inboundUsage = async (world: World) => (await ok(world.mc.usage({ businessId: B1, viewer: dana }))).inbound;
const previewOf = async (world: World) => (await ok(world.mc.inbox({ businessId: B1, viewer: dana }))).rows.find((r) => r.conversationId === ANA)?.lastMessage;

describe('V2 media are part of an inbound message', () => {
  test.prop([fc.array(fc.record({ body: fc.oneof(fc.constant(''), fc.constant(' '), fc.string({ maxLength: 40 })), media: mediaListArb() }), { minLength: 1, maxLength: 4 })], {
    numRuns: 40,
  })('V2 B4 any 0–10 media (any http(s) URL, any MIME type) round-trip through receiveInbound into the contact history, in order; each message counts once, a redelivery not at all', async (messages) => {
    const world = await withAna();
    for (const [i, m] of messages.entries()) {
      const received = await ok(world.mc.receiveInbound(inbound(i, m.body, m.media)));
      expect(received.duplicate).toBe(false);
      // Twilio delivers a webhook again: nothing new, nothing counted.
      expect((await ok(world.mc.receiveInbound(inbound(i, m.body, m.media)))).duplicate).toBe(true);
      expect(await inboundUsage(world)).toBe(i + 1);
    }
    const entries = (await historyOf(world)).flatMap((e) => (e.kind === 'inbound' ? [{ body: e.body, media: e.media }] : []));
    expect(entries).toEqual(messages.map((m) => ({ body: m.body, media: m.media })));
  });

  it('V2 without media the message is recorded with media: [] (an SMS), as an absent media field says', async () => {
    const world = await withAna();
    await ok(world.mc.receiveInbound(inbound(1, 'Hello')));
    const stored = (await storedEvents(world.store)).flatMap((s) => (s.event.type === 'InboundReceived' ? [[s.event.data.media, s.recorded.metadata]] : []));
    expect(stored).toEqual([[[], { schemaVersion: 2 }]]);
  });

  it('B4 a media-only MMS (empty body, one photo) is accepted and counts as one message, one segment', async () => {
    const world = await withAna();
    await ok(world.mc.receiveInbound(inbound(1, '', [file('image/jpeg')])));
    const usage = await ok(world.mc.usage({ businessId: B1, viewer: dana }));
    expect({ inbound: usage.inbound, used: usage.used, segments: usage.segments.inbound }).toEqual({ inbound: 1, used: 1, segments: 1 });
  });

  it('V2 B4 an empty body without media is accepted and counted, as before issue 13 (a client’s message is never lost)', async () => {
    const world = await withAna();
    await ok(world.mc.receiveInbound(inbound(1, '')));
    expect(await inboundUsage(world)).toBe(1);
    expect((await historyOf(world)).map((e) => (e.kind === 'inbound' ? [e.body, e.media] : null))).toEqual([['', []]]);
  });
});

describe('V3 opt-out keywords are read from the body only', () => {
  it('V3 STOP with a photo opts out; a media-only message changes nothing, subscribed or not', async () => {
    const world = await withAna();
    expect((await ok(world.mc.receiveInbound(inbound(1, '', [file('image/jpeg')])))).subscription.status).toBe('subscribed');
    expect((await ok(world.mc.receiveInbound(inbound(2, ' STOP ', [file('image/png')])))).subscription.status).toBe('unsubscribed');
    expect((await ok(world.mc.receiveInbound(inbound(3, '', [file('text/vcard')])))).subscription.status).toBe('unsubscribed');
    expect((await ok(world.mc.receiveInbound(inbound(4, 'START', [file('image/gif')])))).subscription.status).toBe('subscribed');
  });
});

describe('R1 R7 the preview of an MMS (docs/decisions.md, "MMS (issue 13)")', () => {
  it.each([
    ['one photo', '', [file('image/jpeg')], '📷 Photo'],
    ['two photos (any image type, any case)', '', [file('image/png', 1), file('IMAGE/GIF', 2)], '📷 2 photos'],
    ['a file that is no image', '', [file('application/pdf')], '📎 Attachment'],
    ['a photo and other files', '', [file('image/jpeg', 1), file('video/mp4', 2), file('text/vcard', 3)], '📎 3 attachments'],
    ['a blank body with a photo', '  \n', [file('image/jpeg')], '📷 Photo'],
    ['text with a photo: the text alone', 'Here is my rash', [file('image/jpeg')], 'Here is my rash'],
    ['an empty body without media: empty, as before', '', [], ''],
  ] as const)('R1 R7 %s', async (_, body, media, text) => {
    const world = await withAna();
    await ok(world.mc.receiveInbound(inbound(1, body, media)));
    expect(await previewOf(world)).toMatchObject({ text, truncated: false, mediaCount: media.length, direction: 'inbound' });
    const alerts = await ok(world.mc.alerts({ businessId: B1, viewer: dana }));
    expect(alerts.alerts.map((a) => a.preview)).toEqual([text]);
  });

  it('R1 a staff reply after an MMS shows the reply, with no media', async () => {
    const world = await withAna();
    await ok(world.mc.receiveInbound(inbound(1, '', [file('image/jpeg')])));
    await ok(world.mc.sendMessage({ businessId: B1, clientId: ANA, actor: dana, body: 'Thanks, got it' }));
    expect(await previewOf(world)).toMatchObject({ text: 'Thanks, got it', mediaCount: 0, direction: 'outbound' });
  });

  it('R2 search reads text only: an MMS is found by its words, never by its label or its media', async () => {
    const world = await withAna();
    await ok(world.mc.receiveInbound(inbound(1, '', [file('image/jpeg')])));
    const found = async (search: string) => (await ok(world.mc.inbox({ businessId: B1, viewer: dana, search }))).rows.map((r) => r.conversationId);
    expect([await found('photo'), await found('jpeg'), await found('twilio')]).toEqual([[], [], []]);
    await ok(world.mc.receiveInbound(inbound(2, 'Swollen ankle', [file('image/jpeg', 2)])));
    expect([await found('swollen'), await found('ana')]).toEqual([[ANA], [ANA]]);
  });
});

describe('malformed media are refused (invalid-input, nothing appended)', () => {
  const TOO_MANY = Array.from({ length: MAX_MEDIA_PER_MESSAGE + 1 }, (_, i) => file('image/jpeg', i));
  it.each([
    ['more than 10 media', TOO_MANY],
    ['a URL that is no URL', [{ url: 'not a url', contentType: 'image/jpeg' }]],
    ['a relative URL', [{ url: '/2010-04-01/Media/ME1', contentType: 'image/jpeg' }]],
    ['an ftp URL', [{ url: 'ftp://example.com/a.jpg', contentType: 'image/jpeg' }]],
    ['a javascript: URL', [{ url: 'javascript:alert(1)', contentType: 'image/jpeg' }]],
    ['an http URL not written out in full', [{ url: 'http:example.com/a.jpg', contentType: 'image/jpeg' }]],
    ['a URL with no host', [{ url: 'https://', contentType: 'image/jpeg' }]],
    ['a URL with a space', [{ url: 'https://example.com/a b.jpg', contentType: 'image/jpeg' }]],
    ['a URL carrying credentials', [{ url: 'https://user:secret@example.com/a.jpg', contentType: 'image/jpeg' }]],
    ['a URL carrying a user name', [{ url: 'https://user@example.com/a.jpg', contentType: 'image/jpeg' }]],
    ['a URL over 2048 characters', [{ url: `https://example.com/${'a'.repeat(2048)}`, contentType: 'image/jpeg' }]],
    ['an empty content type', [{ url: 'https://example.com/a.jpg', contentType: '' }]],
    ['a content type without a subtype', [{ url: 'https://example.com/a.jpg', contentType: 'image' }]],
    ['a content type with parameters', [{ url: 'https://example.com/a.jpg', contentType: 'image/jpeg; name=a.jpg' }]],
    ['a content type with a space', [{ url: 'https://example.com/a.jpg', contentType: 'image/ jpeg' }]],
    ['a content type over 255 characters', [{ url: 'https://example.com/a.jpg', contentType: `image/${'x'.repeat(300)}` }]],
  ] as const)('V2 %s', async (_, media) => {
    const world = await withAna();
    const refused = await refusedAppendingNothing(world.store, world.mc.receiveInbound(inbound(1, '', media)));
    expect(refused.code).toBe('invalid-input');
    expect(refused.code === 'invalid-input' ? refused.problems.join(' ') : '').toContain('media');
  });

  it('V2 a media item with a field it does not know is refused, naming it', async () => {
    const world = await withAna();
    const item = { url: 'https://example.com/a.jpg', contentType: 'image/jpeg', size: 1234 };
    const refused = await refusedAppendingNothing(world.store, world.mc.receiveInbound(inbound(1, '', [item])));
    expect(refused.message).toContain('size');
  });

  it('V2 exactly 10 media are accepted', async () => {
    const world = await withAna();
    const ten = TOO_MANY.slice(0, MAX_MEDIA_PER_MESSAGE);
    await ok(world.mc.receiveInbound(inbound(1, '', ten)));
    expect((await historyOf(world)).flatMap((e) => (e.kind === 'inbound' ? [e.media] : []))).toEqual([ten]);
    expect(await inboundUsage(world)).toBe(1);
  });
});

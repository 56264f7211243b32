import { createHash } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { deterministicIds, eventIdForProviderMessage, MESSAGE_CENTER_EVENT_ID_NAMESPACE } from '../src/index.js';

const V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** RFC 9562 §5.5 written out with node:crypto, to check the `uuid` package's v5 independently. */
const referenceV5 = (name: string, namespace: string): string => {
  const bytes = createHash('sha1').update(Buffer.from(namespace.replaceAll('-', ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x50, 6);
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

const fromKey = (key: string): string => {
  const derive = deterministicIds.uuidFromKey;
  if (derive === undefined) throw new Error('deterministicIds has no uuidFromKey');
  return derive(key);
};

describe('deterministicIds', () => {
  it('gives random v4 UUIDs from uuid()', () => {
    const ids = Array.from({ length: 1000 }, () => deterministicIds.uuid());
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test.prop([fc.string({ unit: 'grapheme', maxLength: 80 })])('uuidFromKey is UUIDv5 of the key in our namespace: stable and valid v5 layout', (key) => {
    const id = fromKey(key);
    expect(id).toMatch(V5);
    expect(fromKey(key)).toBe(id);
    expect(id).toBe(referenceV5(key, MESSAGE_CENTER_EVENT_ID_NAMESPACE));
  });

  test.prop([fc.uniqueArray(fc.string({ maxLength: 40 }), { minLength: 2, maxLength: 50 })])('distinct keys give distinct UUIDs', (keys) => {
    expect(new Set(keys.map(fromKey)).size).toBe(keys.length);
  });

  it('keeps the ids of keys already written (the namespace must never change)', () => {
    // Pinned values: a change here would make every redelivered webhook look new to the server.
    expect(MESSAGE_CENTER_EVENT_ID_NAMESPACE).toBe('487a6e52-d0dd-4a25-bb4b-1cee800fb0ff');
    expect(fromKey('inbound:salon-42:SM-ana-1/0')).toBe(referenceV5('inbound:salon-42:SM-ana-1/0', '487a6e52-d0dd-4a25-bb4b-1cee800fb0ff'));
  });

  it('numbers the events of one command apart, and stays apart from eventIdForProviderMessage', () => {
    const sid = 'SM0123456789abcdef0123456789abcdef';
    const ids = [fromKey(`inbound:b1:${sid}/0`), fromKey(`inbound:b1:${sid}/1`), fromKey(`inbound:b2:${sid}/0`), fromKey(`outbound:b1:${sid}/0`), eventIdForProviderMessage(sid), eventIdForProviderMessage(sid, 'InboundReceived')];
    expect(new Set(ids).size).toBe(ids.length);
  });
});

/** DESIGN §3 / issue 12: a hand-over always answers an Either, whatever the transport does. */
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { E164, MessageId, ProviderMessageId, type SmsTransport } from '@message-center/core';
import { handOverGuarded } from '@message-center/core/internals';
import { forgetfulTransport, garbageFailureTransport, oddIdTransport } from '../facade/plain-js-transports.mjs';

const must = <A>(is: (u: unknown) => u is A, v: string): A => {
  if (!is(v)) throw new RangeError(v);
  return v;
};
const sms = { messageId: must(MessageId.is, 'm1'), from: must(E164.is, '+12015550123'), to: must(E164.is, '+14155552671'), body: 'Hi' };
const accepted = { providerMessageId: must(ProviderMessageId.is, 'SM0123456789abcdef0123456789abcdef'), status: 'queued' };
type Answer = ReturnType<ReturnType<SmsTransport['send']>>;
const transportOf = (send: () => Answer): SmsTransport => ({ send: () => send });
const codeOf = (answer: E.Either<{ readonly code: string }, unknown>): string => (E.isLeft(answer) ? answer.left.code : 'accepted');

describe('handOverGuarded', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes an answer through', async () => {
    expect(await handOverGuarded(transportOf(() => Promise.resolve(E.right(accepted))), sms, 1000)).toEqual(E.right(accepted));
  });

  it.each([
    ['throws', () => { throw new Error('token=secret'); }],
    ['rejects', () => Promise.reject(new Error('token=secret'))],
  ] as const)('a transport that %s is a retryable failure naming no message of its own', async (_, send) => {
    const answer = await handOverGuarded(transportOf(send), sms, 1000);
    expect(codeOf(answer)).toBe('retryable');
    expect(JSON.stringify(answer)).not.toContain('secret');
  });

  it('a transport that never answers is a retryable failure at the timeout, and a late answer is ignored', async () => {
    let answerLate: (value: Awaited<Answer>) => void = () => undefined;
    const pending = handOverGuarded(transportOf(() => new Promise((resolve) => (answerLate = resolve))), sms, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    const answer = await pending;
    expect(codeOf(answer)).toBe('retryable');
    answerLate(E.right(accepted));
    expect(await pending).toBe(answer);
  });

  it.each([
    ['a Right with nothing in it', forgetfulTransport(() => undefined), 'rejected'],
    ['a Right with a provider id no event may carry', oddIdTransport(), 'rejected'],
    ['a Left that is no failure', garbageFailureTransport(), 'retryable'],
  ] as const)('a plain-JS transport answering %s is a typed failure (%s)', async (_, transport, code) => {
    const answer = await handOverGuarded(transport, sms, 1000);
    expect(codeOf(answer)).toBe(code);
    // An acceptance that cannot be recorded is final (never sent again); a failure of no known kind says
    // nothing of whether the SMS left (no status: the claim is kept).
    expect(E.isLeft(answer) && answer.left.code === 'retryable' ? answer.left.status : null).toBeNull();
  });
});


/**
 * Issue 15: a facade given a `readModelStore` answers inbox, badge and usage from it, after decoding and B0:
 * a refused or malformed query never reaches the store, a store's failure is the answer, a store that throws
 * is an `internal-error` (the facade never throws), and usage without a period asks for the current one.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { createInMemoryEventStore, createInMemoryNumberProvisioning, createMessageCenter, timestampFromMillis, type PeriodUsage, type ReadModelStore } from '@message-center/core';
import { ALL_READ_MODELS, createProjectionRunner, readModelsProjection } from '@message-center/core/internals';

const businessId = 'salon-1';
const dana = { kind: 'staff', businessId, staffId: 'dana', permissions: ['send-email-sms'] } as const;
const clock = { now: () => timestampFromMillis(Date.UTC(2026, 10, 30, 12)) };

const usageOf = (period: string): PeriodUsage => ({ period, limit: 500, overagePolicy: 'refuse', used: 0, remaining: 500, beyondLimit: 0, overageMessages: 0, inbound: 0, outbound: 0, segments: { inbound: 0, outbound: 0 } });

/** A store that records what reached it and answers what it is told to. */
const recording = (answer: () => TE.TaskEither<{ readonly code: 'read-model-unavailable'; readonly message: string }, never> | null) => {
  const calls: string[] = [];
  const store: ReadModelStore = {
    inbox: (q) => {
      calls.push(`inbox ${q.businessId} ${q.viewer.staffId} ${q.view ?? ''} ${q.search ?? ''}`);
      return answer() ?? TE.right({ rows: [], nextCursor: null });
    },
    unreadBadge: (q) => {
      calls.push(`badge ${q.businessId} ${q.viewer.staffId}`);
      return answer() ?? TE.right(7);
    },
    alerts: (q) => {
      calls.push(`alerts ${q.businessId} ${q.after ?? ''}`);
      return answer() ?? TE.right({ alerts: [], cursor: null });
    },
    usage: (q) => {
      calls.push(`usage ${q.businessId} ${q.period}`);
      return answer() ?? TE.right(usageOf(q.period));
    },
  };
  return { store, calls };
};

describe('readModelStore: the facade answers inbox, badge and usage from the store it was given', () => {
  it('passes decoded, authorized queries to the store and its answers back', async () => {
    const { store, calls } = recording(() => null);
    const mc = createMessageCenter({ store: createInMemoryEventStore(), readModelStore: store, clock });
    expect(await mc.unreadBadge({ businessId, viewer: dana })()).toEqual(E.right(7));
    expect(await mc.inbox({ businessId, viewer: dana, view: 'unread', search: 'ana' })()).toEqual(E.right({ rows: [], nextCursor: null }));
    await mc.usage({ businessId, viewer: { kind: 'host', businessId } })();
    expect(await mc.alerts({ businessId, viewer: dana, after: '1.2' })()).toEqual(E.right({ alerts: [], cursor: null }));
    expect(calls).toEqual(['badge salon-1 dana', 'inbox salon-1 dana unread ana', 'usage salon-1 2026-11', 'alerts salon-1 1.2']);
  });

  it('B0 and input decoding come first: a refused or malformed query never reaches the store', async () => {
    const { store, calls } = recording(() => null);
    const mc = createMessageCenter({ store: createInMemoryEventStore(), readModelStore: store, clock });
    const other = { ...dana, businessId: 'salon-2' };
    const noPermission = { ...dana, permissions: [] };
    const refusals = [
      await mc.inbox({ businessId, viewer: other })(),
      await mc.unreadBadge({ businessId, viewer: noPermission })(),
      await mc.usage({ businessId, viewer: other })(),
      await mc.inbox({ businessId, viewer: dana, limit: 0 })(),
      await mc.inbox(JSON.parse('{"businessId":"salon-1","viewer":{"kind":"staff","businessId":"salon-1","staffId":"dana","permissions":["send-email-sms"]},"__proto__":{"view":"archived"}}'))(),
    ];
    // An own `__proto__` key is refused as input, like any key the query does not have.
    expect(refusals.map((r) => (E.isLeft(r) ? r.left.code : 'answered'))).toEqual(['forbidden', 'forbidden', 'forbidden', 'invalid-input', 'invalid-input']);
    expect(calls).toEqual([]);
  });

  it('a store that fails answers its failure; one that throws or rejects is an internal-error, never an exception', async () => {
    const down = recording(() => TE.left({ code: 'read-model-unavailable', message: 'the database is down' }));
    const mc = createMessageCenter({ store: createInMemoryEventStore(), readModelStore: down.store, clock });
    expect(await mc.unreadBadge({ businessId, viewer: dana })()).toEqual(E.left({ code: 'read-model-unavailable', message: 'the database is down' }));
    const throwing: ReadModelStore = {
      inbox: () => {
        throw new Error('secret-token-123 leaked?');
      },
      unreadBadge: () => () => Promise.reject(new Error('secret-token-123')),
      alerts: () => TE.right({ alerts: [], cursor: null }),
      usage: (q) => TE.right(usageOf(q.period)),
    };
    const mc2 = createMessageCenter({ store: createInMemoryEventStore(), readModelStore: throwing, clock });
    const inbox = await mc2.inbox({ businessId, viewer: dana })();
    const badge = await mc2.unreadBadge({ businessId, viewer: dana })();
    for (const answer of [inbox, badge]) {
      expect(E.isLeft(answer) && answer.left.code).toBe('internal-error');
      expect(JSON.stringify(answer)).not.toContain('secret-token-123');
    }
  });

  it('the process folds no inbox of its own: the To: picker still finds clients, and still refuses a business that is not enabled', async () => {
    const { store } = recording(() => null);
    const events = createInMemoryEventStore();
    const mc = createMessageCenter({ store: events, readModelStore: store, clock, numbers: createInMemoryNumberProvisioning({ account: 'any' }) });
    const host = { kind: 'host', businessId } as const;
    expect(E.isLeft(await mc.findClients({ businessId, viewer: dana, query: 'ana' })()) && 'refused').toBe('refused');
    await mc.enableMessageCenter({ businessId, actor: host, country: 'US', number: '+12015550123', allotment: { messagesPerPeriod: 10, overage: 'refuse' } })();
    await mc.recordClient({ businessId, actor: host, clientId: 'ana', uid: 'A-1', name: 'Ana Lima', cellPhone: '+14155552671' })();
    const found = await mc.findClients({ businessId, viewer: dana, query: 'ana' })();
    expect(E.isRight(found) && found.right.clients.map((c) => c.clientId)).toEqual(['ana']);
    const refused = await mc.findClients({ businessId: 'salon-2', viewer: { ...dana, businessId: 'salon-2' }, query: 'ana' })();
    expect(E.isLeft(refused) && refused.left.code).toBe('message-center-not-enabled');
  });
});

describe('readModelsProjection parts', () => {
  it('leaves out the read models another store answers: they stay empty however many events are folded', async () => {
    const events = createInMemoryEventStore();
    const mc = createMessageCenter({ store: events, clock, numbers: createInMemoryNumberProvisioning({ account: 'any' }) });
    const host = { kind: 'host', businessId } as const;
    await mc.enableMessageCenter({ businessId, actor: host, country: 'US', number: '+12015550123', allotment: { messagesPerPeriod: 10, overage: 'refuse' } })();
    await mc.receiveInbound({ to: '+12015550123', from: '+14155552671', body: 'Hi', providerMessageId: 'SM00000000000000000000000000000001' })();
    const foldWith = async (parts: typeof ALL_READ_MODELS) => {
      const caught = await createProjectionRunner(events, readModelsProjection({ parts }), {}).catchUp()();
      if (E.isLeft(caught)) throw new Error(caught.left.message);
      return caught.right;
    };
    const folded = await foldWith({ ...ALL_READ_MODELS, inbox: false, usage: false });
    const full = await foldWith(ALL_READ_MODELS);
    expect(folded.inbox).toBe(readModelsProjection().initial.inbox);
    expect(folded.usage).toBe(readModelsProjection().initial.usage);
    expect(full.inbox).not.toBe(readModelsProjection().initial.inbox);
    expect(folded.alerts).toEqual(full.alerts);
  });
});

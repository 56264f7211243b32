// The facade on PostgreSQL read models whose database is out of reach: every query answers
// `read-model-unavailable` (never a throw, never a hang), with no password in what it says; a refusal the
// facade makes first (B0) is still the refusal.
import * as E from 'fp-ts/lib/Either.js';
import { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore, createMessageCenter } from '@message-center/core';
import { pgReadModelStore } from '../src/index.js';
import { closedPort } from './support/closed-port.js';

describe('pgReadModelStore with its database out of reach', () => {
  it('inbox, badge, alerts and usage answer read-model-unavailable without the password; B0 refusals stay forbidden', async () => {
    const port = await closedPort();
    const pool = new Pool({ connectionString: `postgresql://postgres:hunter2-secret@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: 2_000 });
    pool.on('error', () => undefined);
    try {
      const mc = createMessageCenter({ store: createInMemoryEventStore(), readModelStore: pgReadModelStore(pool) });
      const businessId = 'salon-1';
      const viewer = { kind: 'staff', businessId, staffId: 'dana', permissions: ['send-email-sms'] } as const;
      const answers = [
        await mc.inbox({ businessId, viewer, search: 'ana' })(),
        await mc.unreadBadge({ businessId, viewer })(),
        await mc.alerts({ businessId, viewer })(),
        await mc.usage({ businessId, viewer: { kind: 'host', businessId }, period: '2026-11' })(),
      ];
      expect(answers.map((a) => (E.isLeft(a) ? a.left.code : 'answered'))).toEqual(['read-model-unavailable', 'read-model-unavailable', 'read-model-unavailable', 'read-model-unavailable']);
      expect(JSON.stringify(answers)).not.toContain('hunter2');
      const other = await mc.inbox({ businessId, viewer: { ...viewer, businessId: 'salon-2' } })();
      expect(E.isLeft(other) && other.left.code).toBe('forbidden');
    } finally {
      await pool.end();
    }
  });
});

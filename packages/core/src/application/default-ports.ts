import { randomUUID } from 'node:crypto';
import { timestampFromDate } from '../domain/values/timestamp.js';
import type { Clock } from './ports/clock.js';
import type { IdGenerator } from './ports/id-generator.js';

// What the facade uses when the host passes no clock or id source (the ports only declare the interfaces):
// the system's wall clock, and random UUIDs (no `uuidFromKey`: a replayed command gets new event ids, and the
// domain's own deduplication stays the guard).

export const systemClock: Clock = { now: () => timestampFromDate(new Date()) };

export const randomIds: IdGenerator = { uuid: () => randomUUID() };

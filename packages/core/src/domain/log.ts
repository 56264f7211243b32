import type { DomainEvent } from './events.js';

/**
 * The event log as everything above the domain sees it: where an event sits in the global log, and an
 * event decoded with where it was stored. The store port, the projection runner and the read models share
 * these, so a read model needs nothing of the application layer.
 */

/** A position in the global log. EventStoreDB has two numbers; stores with one use it for both. */
export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const compareLogPositions = (a: LogPosition, b: LogPosition): -1 | 0 | 1 =>
  a.commit < b.commit ? -1 : a.commit > b.commit ? 1 : a.prepare < b.prepare ? -1 : a.prepare > b.prepare ? 1 : 0;

/** A decoded event with where it was stored: what projections fold. */
export interface EventEnvelope {
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: LogPosition;
  readonly event: DomainEvent;
}

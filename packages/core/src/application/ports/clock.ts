import type { Timestamp } from '../../domain/values/timestamp.js';

/** Where "now" comes from; injected so that tests and replays control time. */
export interface Clock {
  readonly now: () => Timestamp;
}

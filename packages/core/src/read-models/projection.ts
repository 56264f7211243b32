import type { EventEnvelope } from '../domain/log.js';
import type { DomainEventType } from '../domain/events.js';

/**
 * A read model as a pure fold over the event log. `fold` takes a batch of decoded events in log order
 * (any streams) and returns the new state without changing the old one; folding a history in one batch
 * or in any split of it gives the same result (replay = incremental). The projection runner of the
 * application layer (`application/projection-runner.ts`) feeds it from the store.
 */
export interface Projection<S> {
  readonly name: string;
  readonly initial: S;
  readonly fold: (state: S, batch: ReadonlyArray<EventEnvelope>) => S;
  /**
   * The event types `fold` reads, when it ignores all others (issue 14): the runner then passes over the
   * others without decoding them. Absent: every event is decoded and folded.
   */
  readonly handles?: ReadonlySet<DomainEventType>;
}

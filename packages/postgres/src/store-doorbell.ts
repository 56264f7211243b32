import type { EventStore, LogPosition, StoreError } from '@message-center/core';
import { STREAM_PREFIX } from '@message-center/core/internals';

/**
 * A live subscription used only as a doorbell: it rings when an `mc-` event is appended after `after`, so a
 * caught-up runner reads at once instead of at its next poll. The events themselves are read again with
 * `readAll`, page by page, each page in the transaction that moves the checkpoint; a doorbell that fails
 * only costs latency (the runner still polls every `idleMs`).
 */
export interface Doorbell {
  readonly close: () => Promise<void>;
}

export const openDoorbell = (
  store: EventStore,
  after: LogPosition | null,
  ring: () => void,
  onFailure: (error: StoreError | { readonly thrown: unknown }) => void,
): Doorbell | null => {
  try {
    const subscription = store.subscribeToAll(
      { ...(after === null ? {} : { after }), streamPrefix: STREAM_PREFIX },
      { onEvent: () => ring(), onError: (error) => onFailure(error) },
    );
    return {
      close: async () => {
        try {
          await subscription.close();
        } catch {
          // A subscription that cannot even close has nothing more to deliver to us.
        }
      },
    };
  } catch (thrown: unknown) {
    onFailure({ thrown });
    return null;
  }
};

/**
 * Live: every event appended to the store (by this instance or another one sharing the store) is told to
 * the open pages over Server-Sent Events; a page then asks again for what it shows. The event says only
 * that something changed and what kind of thing, never a message's content: a page fetches that through
 * the facade, which checks the staff member's permission.
 */
import type { ServerResponse } from 'node:http';
import * as E from 'fp-ts/lib/Either.js';
import type { EventStore, LogPosition, Subscription } from '@message-center/core';

export interface LiveUpdates {
  /** The position of the store's last Message Center event now (undefined: none). */
  readonly head: () => Promise<LogPosition | undefined>;
  /** Keeps the response open as an event stream until the page goes away. */
  readonly attach: (response: ServerResponse) => void;
  readonly close: () => Promise<void>;
}

/** Appends that arrive together (one command writes several streams) are told as one change. */
const COALESCE_MS = 30;
/** A comment line now and then keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * `reached` resolves once the queries answer as of a position (at once for the in-memory read models; a
 * shared database's runners apply events a moment later): the pages are told only then, so they do not ask
 * too early and miss the change.
 */
export const startLiveUpdates = (store: EventStore, reached: (position: LogPosition) => Promise<void>, onError: (message: string) => void): LiveUpdates => {
  const pages = new Set<ServerResponse>();
  let caughtUp = false;
  let pendingTypes = new Set<string>();
  let timer: NodeJS.Timeout | null = null;

  const flush = (): void => {
    const data = JSON.stringify({ types: [...pendingTypes] });
    pendingTypes = new Set();
    const last = after;
    void (last === undefined ? Promise.resolve() : reached(last)).then(() => {
      timer = null;
      // Events that came while waiting are told with the next flush.
      if (pendingTypes.size > 0) timer = setTimeout(flush, COALESCE_MS);
      for (const page of pages) page.write(`event: change\ndata: ${data}\n\n`);
    });
  };

  let closed = false;
  let after: LogPosition | undefined;
  let subscription: Subscription;
  // The Message Center's own streams only, from the last event seen; a subscription the store ends with an
  // error is opened again, and the pages are sent away to reconnect (and so to ask again for everything).
  const subscribe = (): Subscription =>
    store.subscribeToAll(after === undefined ? { streamPrefix: 'mc-' } : { streamPrefix: 'mc-', after }, {
      onEvent: (event) => {
        after = event.position;
        if (!caughtUp) return;
        pendingTypes.add(event.type);
        timer ??= setTimeout(flush, COALESCE_MS);
      },
      onCaughtUp: () => {
        caughtUp = true;
      },
      onError: (error) => {
        onError(`live updates interrupted (${error.code}: ${error.message}); following the store again in 1 s`);
        for (const page of pages) page.end();
        pages.clear();
        setTimeout(() => {
          if (!closed) subscription = subscribe();
        }, 1_000).unref();
      },
    });
  subscription = subscribe();

  const heartbeat = setInterval(() => {
    for (const page of pages) page.write(': still here\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    // The subscription has seen the log up to `after`; only what came since is read.
    head: async () => {
      let last = after;
      for (;;) {
        const page = await store.readAll({ streamPrefix: 'mc-', maxCount: 1_000, ...(last === undefined ? {} : { after: last }) })();
        if (E.isLeft(page)) throw new Error(`cannot read the store: ${page.left.code}: ${page.left.message}`);
        const tail = page.right[page.right.length - 1];
        if (tail === undefined) return last;
        last = tail.position;
      }
    },
    attach: (response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write('retry: 1000\n\n');
      pages.add(response);
      response.on('close', () => pages.delete(response));
    },
    close: async () => {
      closed = true;
      clearInterval(heartbeat);
      if (timer !== null) clearTimeout(timer);
      for (const page of pages) page.end();
      pages.clear();
      await subscription.close();
    },
  };
};

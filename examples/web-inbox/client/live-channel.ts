/**
 * The page's live channel. Every tab of the inbox needs the server's change events, but an HTTP/1.1 event
 * stream holds one of the six connections a browser opens to a host: six tabs with a stream each would
 * leave no connection for a request. So one tab (the holder of a Web Lock) keeps the stream and passes each
 * event to the other tabs over a BroadcastChannel; when it closes, another tab takes the lock and the stream.
 * A stream the browser gives up on (the server answered while restarting) is opened again with backoff.
 */
export interface LiveChannel {
  /** Called for every change event, in this tab whoever holds the stream. */
  readonly onChange: (listener: () => void) => void;
}

const CHANNEL = 'message-center-web-inbox';
const MAX_BACKOFF_MS = 10_000;

export const openLiveChannel = (status: (text: string) => void): LiveChannel => {
  const listeners: Array<() => void> = [];
  const changed = (): void => listeners.forEach((l) => l());
  const tabs = new BroadcastChannel(CHANNEL);
  // The stream's state, when this tab holds it (a new tab asks, the holder answers).
  let held: 'live' | 'reconnecting' | null = null;
  tabs.addEventListener('message', (event) => {
    if (event.data === 'change') changed();
    else if (event.data === 'live' || event.data === 'reconnecting') status(event.data === 'live' ? '● live' : 'reconnecting…');
    else if (event.data === 'status?' && held !== null) tabs.postMessage(held);
  });

  /** This tab's stream, for as long as the page lives; never resolves. */
  const hold = (): Promise<void> =>
    new Promise<void>(() => {
      let backoff = 500;
      const say = (what: 'live' | 'reconnecting'): void => {
        held = what;
        status(what === 'live' ? '● live' : 'reconnecting…');
        tabs.postMessage(what);
      };
      const connect = (): void => {
        const events = new EventSource('/api/events');
        events.addEventListener('open', () => {
          backoff = 500;
          say('live');
          // Whatever happened while the stream was down is shown now.
          changed();
          tabs.postMessage('change');
        });
        events.addEventListener('change', () => {
          changed();
          tabs.postMessage('change');
        });
        events.addEventListener('error', () => {
          say('reconnecting');
          if (events.readyState !== EventSource.CLOSED) return; // the browser retries by itself
          window.setTimeout(connect, backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        });
      };
      connect();
    });

  status('connecting…');
  tabs.postMessage('status?');
  if ('locks' in navigator) void navigator.locks.request(CHANNEL, hold);
  else void hold(); // no Web Locks: every tab keeps its own stream
  return { onChange: (listener) => listeners.push(listener) };
};

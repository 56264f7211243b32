// Transports written in plain JavaScript, answering what no TypeScript transport could: the declarations in
// plain-js-transports.d.mts claim they are SmsTransports, as a careless host's typings would.

/** Sends, then answers `Right` with nothing in it (it forgot its return value). */
export const forgetfulTransport = (onSend) => ({
  send: () => async () => {
    onSend();
    return { _tag: 'Right' };
  },
});

/** Accepts with a provider id of its own format (spaces), which no stored event may carry. */
export const oddIdTransport = () => ({ send: () => async () => ({ _tag: 'Right', right: { providerMessageId: 'not an id with spaces', status: 'queued' } }) });

/** Fails with something that is no failure. */
export const garbageFailureTransport = () => ({ send: () => async () => ({ _tag: 'Left', left: 42 }) });

import { BUSINESS_STREAM_PREFIX } from '../domain/streams.js';
import { BusinessId } from '../domain/values/ids.js';

/**
 * The business of a `mc-business-{id}` stream: everything after the prefix is the id. Business events
 * other than `MessageCenterEnabled` carry no business id, so read models take it from the stream name.
 */
export const businessOfStream = (streamId: string): BusinessId | null => {
  if (!streamId.startsWith(BUSINESS_STREAM_PREFIX)) return null;
  const id = streamId.slice(BUSINESS_STREAM_PREFIX.length);
  return BusinessId.is(id) ? id : null;
};

/** A map key made of two ids: ids never contain control characters, so NUL cannot occur inside either. */
export const pairKey = (a: string, b: string): string => `${a}\u0000${b}`;

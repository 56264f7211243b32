import { parseStreamName } from '../domain/streams.js';
import type { BusinessId } from '../domain/values/ids.js';

/**
 * The business of a `mc-business-{id}` stream, decoded with the same grammar that wrote the name (an id
 * may hold "-" or "%"). Business events other than `MessageCenterEnabled` carry no business id, so read
 * models take it from the stream name; any other name, or one the grammar would not have written, is null.
 */
export const businessOfStream = (streamId: string): BusinessId | null => {
  const address = parseStreamName(streamId);
  return address?.kind === 'business' ? address.businessId : null;
};

/** A map key made of two ids: ids never contain control characters, so NUL cannot occur inside either. */
export const pairKey = (a: string, b: string): string => `${a}\u0000${b}`;

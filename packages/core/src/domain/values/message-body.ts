import * as E from 'fp-ts/lib/Either.js';
import type { DomainError } from '../errors.js';

/** V1: the longest body a staff member or an automation may send (Twilio's limit), in characters. */
export const MAX_BODY_CHARACTERS = 1600;

/** Characters as a person counts them: Unicode code points, so an emoji is one, not two. */
export const characterCount = (body: string): number => {
  let n = 0;
  for (const _ of body) n += 1;
  return n;
};

/** V1: an outbound body is neither empty (nor only whitespace) nor over 1600 characters. */
export const checkOutboundBody = (body: string): E.Either<DomainError, string> => {
  if (body.trim() === '') return E.left({ code: 'empty-body', message: 'a message needs a body: it is empty' });
  const length = characterCount(body);
  if (length > MAX_BODY_CHARACTERS)
    return E.left({
      code: 'body-too-long',
      message: `a message may have at most ${MAX_BODY_CHARACTERS} characters; this one has ${length}`,
      length,
      max: MAX_BODY_CHARACTERS,
    });
  return E.right(body);
};

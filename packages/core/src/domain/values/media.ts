import * as t from 'io-ts';

/**
 * V2 (issue 13): the media of an MMS — where the provider keeps each file and its MIME type — is part of
 * the message. The Message Center records the reference only; it never fetches the file.
 */

/** Twilio accepts and delivers at most 10 media per message. */
export const MAX_MEDIA_PER_MESSAGE = 10;
/** A URL longer than this is no provider's media URL (Twilio's are about 150 characters). */
export const MAX_MEDIA_URL_LENGTH = 2048;
/** RFC 6838: a type and a subtype of at most 127 characters each. */
export const MAX_MEDIA_TYPE_LENGTH = 255;

const isMediaUrl = (s: string): boolean => {
  // Written out in full (`http:foo` parses too), with no whitespace or control characters: the URL is
  // stored and shown exactly as written.
  if (s.length > MAX_MEDIA_URL_LENGTH || !/^https?:\/\/[^/?#]/i.test(s) || /[\s\p{Cc}]/u.test(s)) return false;
  if (!URL.canParse(s)) return false;
  const url = new URL(s);
  // No credentials: a URL is recorded and shown to staff, and a secret must never be (the provider's URLs carry none).
  return url.hostname !== '' && url.username === '' && url.password === '';
};

export interface MediaUrlBrand {
  readonly MediaUrl: unique symbol;
}
/** An absolute `https:` or `http:` URL, without a user name or password. */
export const MediaUrl = t.brand(t.string, (s): s is t.Branded<string, MediaUrlBrand> => isMediaUrl(s), 'MediaUrl');
export type MediaUrl = t.TypeOf<typeof MediaUrl>;

// RFC 6838 §4.2 restricted names, `type/subtype`, without parameters (Twilio sends none).
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

export interface MediaContentTypeBrand {
  readonly MediaContentType: unique symbol;
}
/** A MIME type such as `image/jpeg`. */
export const MediaContentType = t.brand(t.string, (s): s is t.Branded<string, MediaContentTypeBrand> => MEDIA_TYPE.test(s), 'MediaContentType');
export type MediaContentType = t.TypeOf<typeof MediaContentType>;

/** One file of an MMS. */
export const Media = t.readonly(t.type({ url: MediaUrl, contentType: MediaContentType }), 'Media');
export type Media = t.TypeOf<typeof Media>;

/** The media of one message, in the provider's order: 0 to 10. */
export const MediaList = t.refinement(
  t.readonlyArray(Media),
  (items) => items.length <= MAX_MEDIA_PER_MESSAGE,
  `MediaList (at most ${MAX_MEDIA_PER_MESSAGE} items)`,
);
export type MediaList = t.TypeOf<typeof MediaList>;

/** An image the inbox can call a photo (`image/*`, whatever its case). */
export const isImage = (media: Media): boolean => media.contentType.toLowerCase().startsWith('image/');

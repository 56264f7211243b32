/**
 * How many SMS segments a body takes (what a carrier transmits and Twilio bills per message part).
 *
 * A body that fits the GSM 03.38 default alphabet (3GPP TS 23.038; basic table plus the extension table
 * reached through an escape) goes as GSM-7, 7-bit septets; one character outside it turns the whole body into
 * UCS-2, counted in UTF-16 code units. No national language shift tables and no Twilio Smart Encoding
 * (replacing e.g. curly quotes with straight ones) are assumed: the body is counted as given.
 */

export type Encoding = 'GSM-7' | 'UCS-2';

// The 127 characters of the basic table, in table order (0x1B is the escape to the extension table).
const GSM_BASIC: ReadonlySet<string> = new Set(
  '@£$¥èéùìòÇ\nØø\rÅå' +
    'Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ' +
    ' !"#¤%&\'()*+,-./' +
    '0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
    '¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

// The extension table: each character is escape + code, 2 septets.
const GSM_EXTENSION: ReadonlySet<string> = new Set('\f^{}\\[~]|€');

/** A single SMS carries 140 octets: 160 septets or 70 UTF-16 units. */
const GSM_SINGLE = 160;
const UCS2_SINGLE = 70;
/** A part of a concatenated SMS loses 6 octets to the user data header: 153 septets or 67 units. */
const GSM_PART = 153;
const UCS2_PART = 67;

const gsmSeptets = (ch: string): 1 | 2 | null => (GSM_BASIC.has(ch) ? 1 : GSM_EXTENSION.has(ch) ? 2 : null);

export const encodingOf = (body: string): Encoding => {
  for (const ch of body) if (gsmSeptets(ch) === null) return 'UCS-2';
  return 'GSM-7';
};

/**
 * The body's encoding and the cost of each character in it: septets (1, or 2 for the extension table) for
 * GSM-7, UTF-16 code units (2 for a surrogate pair such as an emoji) for UCS-2. Iterating by code point keeps
 * a surrogate pair together; a lone surrogate counts as 1 unit.
 */
const measure = (body: string): { readonly encoding: Encoding; readonly costs: ReadonlyArray<number> } => {
  const encoding = encodingOf(body);
  const costs: Array<number> = [];
  for (const ch of body) costs.push(encoding === 'GSM-7' ? (gsmSeptets(ch) ?? 1) : ch.length);
  return { encoding, costs };
};

const sum = (xs: ReadonlyArray<number>): number => xs.reduce((total, x) => total + x, 0);

/** The body's length in its encoding: septets for GSM-7, UTF-16 code units for UCS-2. */
export const encodedLength = (body: string): number => sum(measure(body).costs);

/**
 * Segments: 1 when the body fits a single SMS (160 septets / 70 units), otherwise parts of 153 septets /
 * 67 units each. An escape sequence or a surrogate pair is never split across two parts (a carrier could not
 * reassemble it, and Twilio's segment calculator moves it whole to the next part), so a part may carry one
 * septet / unit less; without such a character at a part boundary this is exactly ceil(length / 153 or 67).
 *
 * The empty body counts 1 segment: Twilio bills a message with an empty body as one segment.
 */
export const segmentCount = (body: string): number => {
  const { encoding, costs } = measure(body);
  if (sum(costs) <= (encoding === 'GSM-7' ? GSM_SINGLE : UCS2_SINGLE)) return 1;
  const capacity = encoding === 'GSM-7' ? GSM_PART : UCS2_PART;
  // Greedy packing is optimal here: each part is filled as far as the next whole character still fits.
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > capacity) {
      segments += 1;
      used = cost;
    } else used += cost;
  }
  return segments;
};

import * as E from 'fp-ts/lib/Either.js';
import { signedOrder, type FormParams } from './signature.js';
import type { Checked } from './webhook-fields.js';

/**
 * Twilio signs the URL followed by every parameter's name and value, sorted by name, with nothing between
 * them. So a genuine request can be cut again at other places, `Body=hi` + `From=+1…` becoming
 * `Body=h` + `iFrom=+1…`, and keep its signature; Twilio's SDKs accept such re-splits too. The grammar
 * (`webhook-grammar.ts`) pins every value with a fixed shape (sids, numbers, enums) where Twilio put it.
 * Three things remain, and are checked here on the signed text itself, the one thing a re-split cannot
 * change:
 *
 * - **Body is free text.** An attacker who saw a signed request could start it later (`Bod=y…`), end it
 *   earlier (`Body=See you at ` + `Eigh=t`), or, when the body spells `From+1…`, end it there and make that
 *   the sender. So Body must sit between parameters with a fixed shape: right after AccountSid, AddOns or
 *   ApiVersion and right before From; its name must be the first `Body` in the signed text; and after it,
 *   `From+` must appear once only (at From). Then Body covers the same text in every re-split that passes,
 *   and no parameter can be cut out of it.
 * - **An optional field that decides something can be hidden** in the parameter before it
 *   (`NumSegments=1OptOutTypeSTOP`, or a name `NumSegments1OptOut…`). So outside Body, `OptOutType`,
 *   `MediaUrl` and `MediaContentType` (inbound) and `ErrorCode` (status) may appear in the signed text only
 *   where such a parameter's name begins.
 *
 * The price: a parameter Twilio might add that sorts right before or after Body, or whose name or value
 * contains one of those words, is refused (400) until this library knows it.
 */

interface Placed {
  readonly name: string;
  /** Offsets in the signed parameter text (the URL left out). */
  readonly nameAt: number;
  readonly valueAt: number;
  readonly end: number;
}

const place = (params: FormParams): { readonly text: string; readonly placed: ReadonlyArray<Placed> } => {
  let text = '';
  const placed: Array<Placed> = [];
  for (const [name, value] of signedOrder(params)) {
    const nameAt = text.length;
    text += name + value;
    placed.push({ name, nameAt, valueAt: nameAt + name.length, end: text.length });
  }
  return { text, placed };
};

const occurrences = (text: string, word: string, from = 0): ReadonlyArray<number> => {
  const found: Array<number> = [];
  for (let at = text.indexOf(word, from); at !== -1; at = text.indexOf(word, at + 1)) found.push(at);
  return found;
};

/** Parameters with a fixed shape that may come right before Body. */
const BEFORE_BODY: ReadonlySet<string> = new Set(['AccountSid', 'AddOns', 'ApiVersion']);

const bodyProblems = (text: string, placed: ReadonlyArray<Placed>, at: number): ReadonlyArray<string> => {
  const body = placed[at];
  if (body === undefined) return [];
  return [
    ...(BEFORE_BODY.has(placed[at - 1]?.name ?? '') ? [] : ['a parameter Twilio does not send sorts right before Body']),
    ...(placed[at + 1]?.name === 'From' ? [] : ['a parameter Twilio does not send sorts between Body and From']),
    ...(text.indexOf('Body') === body.nameAt ? [] : ['the signed parameters spell Body before the Body parameter']),
    ...(occurrences(text, 'From+', body.end).length === 1 ? [] : ['the signed parameters spell From+ more than once after Body']),
  ];
};

/** Each occurrence of `word` outside `free` must begin the name of a parameter `owns` accepts. */
const hiddenProblems = (
  text: string,
  nameStarts: ReadonlyMap<number, string>,
  word: string,
  owns: RegExp,
  free: { readonly from: number; readonly to: number } | null,
): ReadonlyArray<string> => {
  const hidden = occurrences(text, word).some((at) => {
    if (free !== null && at >= free.from && at < free.to) return false;
    const name = nameStarts.get(at);
    return name === undefined || !owns.test(name);
  });
  return hidden ? [`${word} appears inside another parameter`] : [];
};

const nameStartsOf = (placed: ReadonlyArray<Placed>): ReadonlyMap<number, string> => new Map(placed.map((p) => [p.nameAt, p.name]));

export const inboundBoundaries = (params: FormParams): Checked<void> => {
  const { text, placed } = place(params);
  const at = placed.findIndex((p) => p.name === 'Body');
  const body = placed[at];
  const free = body === undefined ? null : { from: body.valueAt, to: body.end };
  const starts = nameStartsOf(placed);
  const problems = [
    ...bodyProblems(text, placed, at),
    ...hiddenProblems(text, starts, 'OptOutType', /^OptOutType$/, free),
    ...hiddenProblems(text, starts, 'MediaUrl', /^MediaUrl(0|[1-9][0-9]*)$/, free),
    ...hiddenProblems(text, starts, 'MediaContentType', /^MediaContentType(0|[1-9][0-9]*)$/, free),
  ];
  return problems.length === 0 ? E.right(undefined) : E.left(problems);
};

export const statusBoundaries = (params: FormParams): Checked<void> => {
  const { text, placed } = place(params);
  const problems = hiddenProblems(text, nameStartsOf(placed), 'ErrorCode', /^ErrorCode$/, null);
  return problems.length === 0 ? E.right(undefined) : E.left(problems);
};

/**
 * Re-splits of a signed Twilio request. Twilio signs the URL followed by every parameter's name and value,
 * sorted by name, with no separator (Webhooks security, "Validating signatures from Twilio"). Any other
 * partition of that string into name/value pairs which, sorted the same way, gives the same string keeps
 * the genuine signature. This module enumerates them without using the code under test.
 */

export type Pair = readonly [name: string, value: string];

export interface Resplit {
  /** The URL the re-split is signed for (its end may have moved into the parameters or back). */
  readonly url: string;
  readonly params: ReadonlyArray<Pair>;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Pairs in the order Twilio signs them: by name, then by value (UTF-16 code units). */
export const signedOrder = (params: ReadonlyArray<Pair>): ReadonlyArray<Pair> =>
  [...params].sort(([n1, v1], [n2, v2]) => byCodeUnits(n1, n2) || byCodeUnits(v1, v2));

/** The string Twilio signs, written out independently of `src/signature.ts`. */
export const signedString = (url: string, params: ReadonlyArray<Pair>): string =>
  url + signedOrder(params).map(([n, v]) => n + v).join('');

/** Names as Twilio writes them: a letter, then letters and digits. The handler refuses any other name. */
export const isTwilioName = (name: string): boolean => /^[A-Za-z][A-Za-z0-9]*$/.test(name);

export interface ResplitOptions {
  /** Most consecutive pairs re-partitioned together (default 3: enough to fold two pairs into a third). */
  readonly width?: number;
  /** Most pairs one window may be cut into (default: its width + 1). */
  readonly extraPieces?: number;
  /** Most pairs any window may be cut into (default: no limit beyond `extraPieces`). */
  readonly maxPieces?: number;
  /** Which names to try (default: any non-empty string). */
  readonly isName?: (name: string) => boolean;
}

/**
 * Calls `visit` with every re-split that re-partitions a window of up to `width` consecutive signed pairs
 * in every possible way (values any strings, names any non-empty strings `isName` allows), keeping all
 * other pairs as they are; the first window may also move the end of the URL into the parameters, or the
 * end of its query into the first name. Each re-split is visited once, never the genuine split, and only
 * if its signed string equals the genuine one. Names in a window stay between the names of the pairs
 * around it, which the signed string requires, so nothing that keeps the signature is left out.
 * Returns how many re-splits were visited.
 */
export const forEachResplit = (
  url: string,
  params: ReadonlyArray<Pair>,
  options: ResplitOptions,
  visit: (resplit: Resplit) => void,
): number => {
  const width = options.width ?? 3;
  const isName = options.isName ?? ((): boolean => true);
  const sorted = signedOrder(params);
  const genuine = signedString(url, params);
  const starts: Array<number> = [];
  let offset = url.length;
  for (const [n, v] of sorted) {
    starts.push(offset);
    offset += n.length + v.length;
  }
  starts.push(offset);
  const queryStart = url.indexOf('?');
  let visited = 0;

  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i + 1; j <= Math.min(sorted.length, i + width); j += 1) {
      const maxPieces = Math.min(j - i + (options.extraPieces ?? 1), options.maxPieces ?? Number.POSITIVE_INFINITY);
      const first = sorted[i];
      const last = sorted[j - 1];
      const lower = i === 0 ? '' : (sorted[i - 1]?.[0] ?? '');
      const upper = j === sorted.length ? null : (sorted[j]?.[0] ?? null);
      const end = starts[j] ?? genuine.length;
      const before = sorted.slice(0, i);
      const after = sorted.slice(j);
      // The URL may end as it is, or (first window only) anywhere from the start of its query to the end of the window.
      const urlEnds = i === 0 ? range(queryStart === -1 ? url.length : queryStart + 1, end) : [url.length];
      for (const urlEnd of urlEnds) {
        const from = i === 0 ? urlEnd : (starts[i] ?? url.length);
        const newUrl = i === 0 ? genuine.slice(0, urlEnd) : url;
        const emit = (pieces: ReadonlyArray<Pair>): void => {
          // A window whose first or last pair is unchanged is a smaller window's re-split: visit it there.
          const head = pieces[0];
          const tail = pieces.at(-1);
          if (newUrl === url && head !== undefined && first !== undefined && head[0] === first[0] && head[1] === first[1]) return;
          if (tail !== undefined && last !== undefined && tail[0] === last[0] && tail[1] === last[1] && (j - i > 1 || newUrl === url)) return;
          const candidate: Resplit = { url: newUrl, params: [...before, ...pieces, ...after] };
          // The window's text is unchanged by construction; only a name equal to a neighbour's can reorder it.
          if (hasTies(lower, pieces, upper) && signedString(candidate.url, candidate.params) !== genuine) return;
          visited += 1;
          visit(candidate);
        };
        partitions({ text: genuine, end, upper, maxPieces, isName }, from, lower, [], emit);
      }
    }
  }
  return visited;
};

const hasTies = (lower: string, pieces: ReadonlyArray<Pair>, upper: string | null): boolean =>
  pieces.some(([name], k) => name === (k === 0 ? lower : pieces[k - 1]?.[0]) || name === upper);

const range = (from: number, to: number): Array<number> => Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);

interface Window {
  readonly text: string;
  readonly end: number;
  readonly upper: string | null;
  readonly maxPieces: number;
  readonly isName: (name: string) => boolean;
}

/** Every way to cut `text[from, end)` into at most `maxPieces` pairs whose names do not decrease and stay within [lower, upper]. */
const partitions = (w: Window, from: number, lower: string, acc: Array<Pair>, emit: (pieces: ReadonlyArray<Pair>) => void): void => {
  if (from === w.end) {
    emit(acc);
    return;
  }
  if (acc.length === w.maxPieces) return;
  for (let nameEnd = from + 1; nameEnd <= w.end; nameEnd += 1) {
    const name = w.text.slice(from, nameEnd);
    // Beyond `upper` and not a prefix of it: every longer name is beyond it too.
    if (w.upper !== null && name > w.upper && !w.upper.startsWith(name)) break;
    if (name < lower || (w.upper !== null && name > w.upper) || !w.isName(name)) continue;
    for (let valueEnd = nameEnd; valueEnd <= w.end; valueEnd += 1) {
      acc.push([name, w.text.slice(nameEnd, valueEnd)]);
      partitions(w, valueEnd, name, acc, emit);
      acc.pop();
    }
  }
};

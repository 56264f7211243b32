/**
 * Cuts Twilio's OpenAPI description down to the operations the tests use and every component they reference,
 * transitively, so that the tests can carry it as a small fixture instead of reading the 1.9 MB file beside
 * the repository. Pure and deterministic: the same input gives the same text, byte for byte.
 */

type Json = unknown;

const HTTP_METHODS: ReadonlySet<string> = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const isObject = (value: Json): value is Readonly<Record<string, Json>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const field = (value: Json, key: string): Json => (isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined);

const entries = (value: Json): ReadonlyArray<readonly [string, Json]> => (isObject(value) ? Object.entries(value) : []);

const asArray = (value: Json): ReadonlyArray<Json> => (Array.isArray(value) ? value : []);

const strings = (value: Json): ReadonlyArray<string> => asArray(value).filter((v): v is string => typeof v === 'string');

/** Every `$ref` string anywhere below a value. */
export const refsIn = (value: Json): ReadonlyArray<string> => {
  if (Array.isArray(value)) return asArray(value).flatMap(refsIn);
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === '$ref' && typeof v === 'string' ? [v] : refsIn(v)));
};

/** `#/components/schemas/a~1b` → `['components', 'schemas', 'a/b']` (JSON Pointer, RFC 6901). */
const pointerSegments = (ref: string): ReadonlyArray<string> | null =>
  ref.startsWith('#/') ? ref.slice(2).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')) : null;

/** What a local `$ref` points at inside `doc`, or undefined if it points nowhere (or outside the document). */
export const resolvePointer = (doc: Json, ref: string): Json => {
  const segments = pointerSegments(ref);
  return segments === null ? undefined : segments.reduce<Json>((at, key) => field(at, key), doc);
};

/** The same value with object keys in code-unit order at every depth: regeneration diffs show content only. */
export const sortKeys = (value: Json): Json => {
  if (Array.isArray(value)) return asArray(value).map(sortKeys);
  if (!isObject(value)) return value;
  const sorted: Record<string, Json> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]);
  return sorted;
};

/** 2-space JSON with a final newline, the form the fixture is committed in. */
export const formatJson = (value: Json): string => `${JSON.stringify(sortKeys(value), null, 2)}\n`;

/** Keeps the wanted operations (and their path items' shared keys), dropping the rest. */
const trimPaths = (paths: Json, wanted: ReadonlySet<string>): { readonly paths: Record<string, Json>; readonly found: Set<string> } => {
  const kept: Record<string, Json> = {};
  const found = new Set<string>();
  for (const [template, item] of entries(paths)) {
    const operations = entries(item).filter(([key, op]) => {
      if (!HTTP_METHODS.has(key)) return false;
      const id = field(op, 'operationId');
      return typeof id === 'string' && wanted.has(id);
    });
    if (operations.length === 0) continue;
    for (const [, op] of operations) found.add(String(field(op, 'operationId')));
    kept[template] = Object.fromEntries([...entries(item).filter(([key]) => !HTTP_METHODS.has(key)), ...operations]);
  }
  return { paths: kept, found };
};

/** The components reachable from `roots` through `$ref`, walked to a fixed point. */
const reachableComponents = (doc: Json, roots: Json): Record<string, Record<string, Json>> => {
  const kept: Record<string, Record<string, Json>> = {};
  const pending = [...refsIn(roots)];
  const seen = new Set<string>();
  for (let ref = pending.pop(); ref !== undefined; ref = pending.pop()) {
    if (seen.has(ref)) continue;
    seen.add(ref);
    const segments = pointerSegments(ref);
    const [root, kind, name, ...rest] = segments ?? [];
    if (root !== 'components' || kind === undefined || name === undefined || rest.length > 0) {
      throw new Error(`unsupported $ref ${ref}: only #/components/<kind>/<name> is kept`);
    }
    const target = resolvePointer(doc, ref);
    if (target === undefined) throw new Error(`$ref ${ref} points nowhere in the source description`);
    kept[kind] = { ...kept[kind], [name]: target };
    pending.push(...refsIn(target));
  }
  return kept;
};

/** Security schemes named by the document's or the kept operations' `security` requirements. */
const securitySchemeNames = (doc: Json, paths: Json): ReadonlySet<string> => {
  const requirements = [
    ...asArray(field(doc, 'security')),
    ...entries(paths).flatMap(([, item]) => entries(item).flatMap(([, op]) => asArray(field(op, 'security')))),
  ];
  return new Set(requirements.flatMap((requirement) => entries(requirement).map(([name]) => name)));
};

/**
 * The part of `doc` that the operations `operationIds` need: their path items, the components they reach
 * through `$ref`, the security schemes and tags they name, and the document's own top-level keys (`openapi`,
 * `info` with its licence, `servers`, `security`) unchanged. Throws when an operation is missing, so that a
 * renamed operation upstream stops the regeneration instead of shrinking the fixture.
 */
export const trimOpenApi = (doc: Json, operationIds: ReadonlyArray<string>): Json => {
  const { paths, found } = trimPaths(field(doc, 'paths'), new Set(operationIds));
  const missing = operationIds.filter((id) => !found.has(id));
  if (missing.length > 0) throw new Error(`operations not in the description: ${missing.join(', ')}`);

  const components: Record<string, Record<string, Json>> = reachableComponents(doc, paths);
  const schemeNames = securitySchemeNames(doc, paths);
  const schemes = entries(field(field(doc, 'components'), 'securitySchemes')).filter(([name]) => schemeNames.has(name));
  if (schemes.length > 0) components['securitySchemes'] = { ...components['securitySchemes'], ...Object.fromEntries(schemes) };

  const tagNames = new Set(Object.values(paths).flatMap((item) => entries(item).flatMap(([, op]) => strings(field(op, 'tags')))));
  const trimmed: Record<string, Json> = { ...(isObject(doc) ? doc : {}), paths, components };
  if (field(doc, 'tags') !== undefined) {
    trimmed['tags'] = asArray(field(doc, 'tags')).filter((tag) => strings([field(tag, 'name')]).some((name) => tagNames.has(name)));
  }
  return sortKeys(trimmed);
};

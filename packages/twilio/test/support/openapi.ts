import { readFileSync } from 'node:fs';
import { FIXTURE_PATH } from './openapi-fixture.js';

/**
 * Checks captured REST requests against Twilio's OpenAPI description (the trimmed copy in `../fixtures/`, so
 * that a clone needs nothing beside it): the operation exists for the method and path, path and query
 * parameters and form fields are known names with values of the documented type, enum, pattern and format,
 * and required fields are present. A small validator instead of the prism mock keeps tests fast and offline.
 */

export type Pairs = ReadonlyArray<readonly [string, string]>;

export interface RequestShape {
  readonly method: string;
  readonly path: string;
  readonly query: Pairs;
  readonly form: Pairs;
  readonly contentType: string | null;
}

export interface ShapeReport {
  readonly operationId: string | null;
  readonly problems: ReadonlyArray<string>;
}

/** TWILIO_OPENAPI_PATH may point at the full description (e.g. to try a newer one before regenerating). */
export const OPENAPI_PATH = process.env['TWILIO_OPENAPI_PATH'] ?? FIXTURE_PATH;

type Json = unknown;

const get = (value: Json, key: string): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && key in value ? Reflect.get(value, key) : undefined;

const entries = (value: Json): ReadonlyArray<readonly [string, Json]> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];

const asArray = (value: Json): ReadonlyArray<Json> => (Array.isArray(value) ? value : []);

const asString = (value: Json): string | null => (typeof value === 'string' ? value : null);

interface Operation {
  readonly operationId: string;
  readonly template: string;
  readonly regex: RegExp;
  readonly pathParamNames: ReadonlyArray<string>;
  readonly parameters: ReadonlyArray<Json>;
  readonly formSchema: Json;
  readonly responses: Json;
}

export interface OpenApi {
  readonly spec: Json;
  readonly validate: (shape: RequestShape) => ShapeReport;
  /** The documented example body of an operation's response, e.g. (`CreateMessage`, `201`, `create`). */
  readonly example: (operationId: string, status: string, name?: string) => Json;
  /** The values of a string enum of `components.schemas`, e.g. `message_enum_status`. */
  readonly enumOf: (schemaName: string) => ReadonlyArray<string>;
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const loadOpenApi = (path: string = OPENAPI_PATH): OpenApi => {
  const spec: Json = JSON.parse(readFileSync(path, 'utf8'));
  const schemas = get(get(spec, 'components'), 'schemas');

  const resolve = (schema: Json): Json => {
    const ref = asString(get(schema, '$ref'));
    if (ref === null) return schema;
    const name = ref.replace('#/components/schemas/', '');
    return resolve(get(schemas, name));
  };

  const operations = new Map<string, Array<Operation>>();
  for (const [template, item] of entries(get(spec, 'paths'))) {
    const pathParamNames: Array<string> = [];
    const regex = new RegExp(
      '^' +
        template
          .split(/(\{[^}]+\})/)
          .map((part) => {
            const m = /^\{([^}]+)\}$/.exec(part);
            if (m === null) return escapeRegex(part);
            pathParamNames.push(m[1] ?? '');
            return '([^/]+)';
          })
          .join('') +
        '$',
    );
    for (const method of ['get', 'post', 'put', 'delete']) {
      const op = get(item, method);
      if (op === undefined) continue;
      const list = operations.get(method) ?? [];
      list.push({
        operationId: asString(get(op, 'operationId')) ?? `${method} ${template}`,
        template,
        regex,
        pathParamNames,
        parameters: [...asArray(get(item, 'parameters')), ...asArray(get(op, 'parameters'))],
        formSchema: resolve(get(get(get(get(op, 'requestBody'), 'content'), 'application/x-www-form-urlencoded'), 'schema')),
        responses: get(op, 'responses'),
      });
      operations.set(method, list);
    }
  }

  const checkValue = (where: string, schemaIn: Json, value: string): Array<string> => {
    const schema = resolve(schemaIn);
    const type = asString(get(schema, 'type'));
    const problems: Array<string> = [];
    const enumValues = asArray(get(schema, 'enum'));
    if (enumValues.length > 0 && !enumValues.includes(value)) problems.push(`${where}: ${JSON.stringify(value)} is not one of ${enumValues.join(', ')}`);
    switch (type) {
      case 'integer': {
        if (!/^-?\d+$/.test(value)) problems.push(`${where}: ${JSON.stringify(value)} is not an integer`);
        const min = get(schema, 'minimum');
        const max = get(schema, 'maximum');
        if (typeof min === 'number' && Number(value) < min) problems.push(`${where}: below minimum ${min}`);
        if (typeof max === 'number' && Number(value) > max) problems.push(`${where}: above maximum ${max}`);
        break;
      }
      case 'number':
        if (value.trim() === '' || !Number.isFinite(Number(value))) problems.push(`${where}: ${JSON.stringify(value)} is not a number`);
        break;
      case 'boolean':
        if (value !== 'true' && value !== 'false') problems.push(`${where}: ${JSON.stringify(value)} is not a boolean`);
        break;
      default: {
        const minLength = get(schema, 'minLength');
        const maxLength = get(schema, 'maxLength');
        const pattern = asString(get(schema, 'pattern'));
        if (typeof minLength === 'number' && value.length < minLength) problems.push(`${where}: shorter than ${minLength}`);
        if (typeof maxLength === 'number' && value.length > maxLength) problems.push(`${where}: longer than ${maxLength}`);
        if (pattern !== null && !new RegExp(pattern).test(value)) problems.push(`${where}: does not match ${pattern}`);
        switch (asString(get(schema, 'format'))) {
          case 'uri':
            if (!URL.canParse(value)) problems.push(`${where}: ${JSON.stringify(value)} is not an absolute URI`);
            break;
          case 'phone-number':
            // E.164, or a channel address such as `whatsapp:+15552229999`.
            if (!/^(?:[a-z]+:)?\+[1-9]\d{1,14}$/.test(value)) problems.push(`${where}: ${JSON.stringify(value)} is not an E.164 number`);
            break;
          case 'iso-country-code':
            if (!/^[A-Z]{2}$/.test(value)) problems.push(`${where}: ${JSON.stringify(value)} is not an ISO country code`);
            break;
          default:
            break;
        }
      }
    }
    return problems;
  };

  /** Checks name/value pairs against a set of named schemas. */
  const checkPairs = (
    where: string,
    pairs: Pairs,
    schemaOf: (name: string) => Json,
    requiredNames: ReadonlyArray<string>,
  ): Array<string> => {
    const problems: Array<string> = [];
    const counts = new Map<string, number>();
    for (const [name, value] of pairs) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      const schema = resolve(schemaOf(name));
      if (schema === undefined) {
        problems.push(`${where}: unknown parameter ${name}`);
        continue;
      }
      const isArray = asString(get(schema, 'type')) === 'array';
      problems.push(...checkValue(`${where} ${name}`, isArray ? get(schema, 'items') : schema, value));
      if (!isArray && (counts.get(name) ?? 0) > 1) problems.push(`${where}: ${name} repeated but not an array`);
    }
    for (const name of requiredNames) if (!counts.has(name)) problems.push(`${where}: required parameter ${name} is missing`);
    return problems;
  };

  const validate = (shape: RequestShape): ShapeReport => {
    const candidates = (operations.get(shape.method.toLowerCase()) ?? [])
      .map((op) => ({ op, match: op.regex.exec(shape.path) }))
      .filter((c) => c.match !== null)
      // The most literal template wins (`…/Messages.json` over `…/{Sid}.json`).
      .sort((a, b) => a.op.pathParamNames.length - b.op.pathParamNames.length);
    const found = candidates[0];
    if (found === undefined || found.match === null) {
      return { operationId: null, problems: [`no documented operation for ${shape.method} ${shape.path}`] };
    }
    const { op, match } = found;
    const params = op.parameters.map((p) => ({
      name: asString(get(p, 'name')) ?? '',
      in: asString(get(p, 'in')) ?? '',
      required: get(p, 'required') === true,
      schema: get(p, 'schema'),
    }));
    const problems: Array<string> = [];
    op.pathParamNames.forEach((name, i) => {
      const param = params.find((p) => p.in === 'path' && p.name === name);
      const value = decodeURIComponent(match[i + 1] ?? '');
      if (param === undefined) problems.push(`path: undocumented parameter ${name}`);
      else problems.push(...checkValue(`path ${name}`, param.schema, value));
    });
    const queryParams = params.filter((p) => p.in === 'query');
    problems.push(
      ...checkPairs(
        'query',
        shape.query,
        (name) => queryParams.find((p) => p.name === name)?.schema,
        queryParams.filter((p) => p.required).map((p) => p.name),
      ),
    );
    if (op.formSchema === undefined) {
      if (shape.form.length > 0) problems.push('body: this operation takes no form body');
    } else {
      if ((shape.contentType ?? '').split(';')[0]?.trim() !== 'application/x-www-form-urlencoded') {
        problems.push(`body: content type ${shape.contentType ?? '(none)'} is not application/x-www-form-urlencoded`);
      }
      const properties = get(op.formSchema, 'properties');
      const requiredNames = asArray(get(op.formSchema, 'required')).flatMap((n) => (typeof n === 'string' ? [n] : []));
      problems.push(...checkPairs('body', shape.form, (name) => get(properties, name), requiredNames));
    }
    return { operationId: op.operationId, problems };
  };

  const example = (operationId: string, status: string, name?: string): Json => {
    for (const list of operations.values()) {
      const op = list.find((o) => o.operationId === operationId);
      if (op === undefined) continue;
      const examples = get(get(get(get(op.responses, status), 'content'), 'application/json'), 'examples');
      const chosen = name === undefined ? entries(examples)[0]?.[1] : get(examples, name);
      return get(chosen, 'value');
    }
    throw new Error(`no operation ${operationId}`);
  };

  const enumOf = (schemaName: string): ReadonlyArray<string> =>
    asArray(get(get(schemas, schemaName), 'enum')).flatMap((v) => {
      const s = asString(v);
      return s === null ? [] : [s];
    });

  return { spec, validate, example, enumOf };
};

// Compares two OpenAPI documents the way a client generator would see them: operations,
// parameters, request bodies, response statuses, media types, security, and each schema
// flattened to facts per field (types, required fields, enums, formats). 3.0 `nullable` and
// 3.1 `type: [..., 'null']` read the same, and $refs are followed, so only real differences
// remain. Each difference is one line, e.g. `POST /v1/api-keys: response 422 only in spec`.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

interface Facts {
  types: Set<string>;
  enum: Set<string>;
  formats: Set<string>;
  required: Set<string>;
}

/** The node a local `$ref` (`#/components/schemas/X`) points at, if any. */
function lookup(doc: Json, ref: string): Json | undefined {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<Json | undefined>((node, part) => node?.[part], doc);
}

function resolve(doc: Json, value: Json): Json {
  let current: Json | undefined = value;
  for (let depth = 0; current?.$ref && depth < 20; depth++) current = lookup(doc, current.$ref);
  return current ?? {};
}

/** Every field of a schema (`.key.created_at`, `.scopes[]`) with what it allows. */
export function schemaFacts(doc: Json, schema: Json | undefined): Map<string, Facts> {
  const facts = new Map<string, Facts>();
  const at = (path: string) => {
    let entry = facts.get(path);
    if (!entry)
      facts.set(path, (entry = { types: new Set(), enum: new Set(), formats: new Set(), required: new Set() }));
    return entry;
  };
  const walk = (raw: Json | undefined, path: string, refs: string[]) => {
    if (!raw || typeof raw !== 'object') return;
    if (raw.$ref && refs.includes(raw.$ref)) return; // recursive schema: seen this level already
    const node = resolve(doc, raw);
    const stack = raw.$ref ? [...refs, raw.$ref] : refs;
    const entry = at(path);
    for (const key of ['allOf', 'anyOf', 'oneOf']) for (const branch of node[key] ?? []) walk(branch, path, stack);
    const onlyNull = Array.isArray(node.enum) && node.enum.length === 1 && node.enum[0] === null;
    if (onlyNull) entry.types.add('null');
    else {
      for (const type of [node.type ?? []].flat()) entry.types.add(type);
      if (node.type === undefined && node.properties) entry.types.add('object');
      if (node.type === undefined && node.items) entry.types.add('array');
      for (const value of node.enum ?? []) if (value !== null) entry.enum.add(JSON.stringify(value));
      if ('const' in node) entry.enum.add(JSON.stringify(node.const));
    }
    if (node.nullable === true) entry.types.add('null');
    if (node.format) entry.formats.add(node.format);
    for (const name of node.required ?? []) entry.required.add(name);
    for (const [name, child] of Object.entries<Json>(node.properties ?? {})) walk(child, `${path}.${name}`, stack);
    if (node.items && typeof node.items === 'object') walk(node.items, `${path}[]`, stack);
  };
  walk(schema, '', []);
  return facts;
}

const list = (values: Iterable<string>) => [...values].sort().join(', ') || '(none)';

function compareSets(where: string, what: string, spec: Iterable<string>, ours: Iterable<string>, out: string[]): void {
  const a = list(spec);
  const b = list(ours);
  if (a !== b) out.push(`${where}: ${what} ${a} in spec, ${b} in keyforge`);
}

function compareSchemas(
  where: string,
  specDoc: Json,
  spec: Json | undefined,
  ourDoc: Json,
  ours: Json | undefined,
  out: string[],
): void {
  const a = schemaFacts(specDoc, spec);
  const b = schemaFacts(ourDoc, ours);
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const field = `${where} ${path === '' ? '(root)' : path}`;
    const x = a.get(path);
    const y = b.get(path);
    if (!x || !y) {
      out.push(`${field}: only in ${x ? 'spec' : 'keyforge'}`);
      continue;
    }
    compareSets(field, 'type', x.types, y.types, out);
    compareSets(field, 'required', x.required, y.required, out);
    compareSets(field, 'enum', x.enum, y.enum, out);
    compareSets(field, 'format', x.formats, y.formats, out);
  }
}

function compareKeys(
  where: string,
  what: string,
  a: Json,
  b: Json,
  out: string[],
  both: (key: string, x: Json, y: Json) => void,
) {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!(key in a) || !(key in b)) out.push(`${where}: ${what} ${key} only in ${key in a ? 'spec' : 'keyforge'}`);
    else both(key, a[key]!, b[key]!);
  }
}

function operations(doc: Json): Record<string, Json> {
  const result: Record<string, Json> = {};
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of METHODS)
      if (item[method])
        result[`${method.toUpperCase()} ${path}`] = { ...item[method], pathParameters: item.parameters };
  }
  return result;
}

function parameters(doc: Json, operation: Json): Record<string, Json> {
  const result: Record<string, Json> = {};
  for (const raw of [...(operation.pathParameters ?? []), ...(operation.parameters ?? [])]) {
    const p = resolve(doc, raw);
    result[`${p.in} ${p.in === 'header' ? String(p.name).toLowerCase() : p.name}`] = p;
  }
  return result;
}

/** The requirement an operation has: its own, else the document's; `(none)` when empty. */
function security(doc: Json, operation: Json): string[] {
  const requirements: Json[] = operation.security ?? doc.security ?? [];
  return requirements.map((r) => Object.keys(r).sort().join(' + ') || '(anonymous)');
}

function schemeFacts(scheme: Json): string {
  const s = scheme;
  return [s.type, s.in, s.in === 'header' ? s.name?.toLowerCase() : s.name, s.scheme?.toLowerCase(), s.bearerFormat]
    .filter(Boolean)
    .join(' ');
}

/** Every difference between a vendor's document and keyforge's, one line each. */
export function compareDocuments(spec: Json, ours: Json): string[] {
  const out: string[] = [];
  compareKeys(
    'document',
    'security scheme',
    spec.components?.securitySchemes ?? {},
    ours.components?.securitySchemes ?? {},
    out,
    (name, x, y) => {
      if (schemeFacts(x) !== schemeFacts(y))
        out.push(`document: security scheme ${name} is ${schemeFacts(x)} in spec, ${schemeFacts(y)} in keyforge`);
    },
  );
  compareKeys('document', 'operation', operations(spec), operations(ours), out, (op, x, y) => {
    compareSets(op, 'security', security(spec, x), security(ours, y), out);
    compareKeys(op, 'parameter', parameters(spec, x), parameters(ours, y), out, (name, p, q) => {
      if (Boolean(p.required) !== Boolean(q.required))
        out.push(
          `${op} parameter ${name}: required ${Boolean(p.required)} in spec, ${Boolean(q.required)} in keyforge`,
        );
      compareSchemas(`${op} parameter ${name}`, spec, p.schema, ours, q.schema, out);
    });
    const bodyA = resolve(spec, x.requestBody ?? {});
    const bodyB = resolve(ours, y.requestBody ?? {});
    if (Boolean(bodyA.required) !== Boolean(bodyB.required))
      out.push(
        `${op}: request body required ${Boolean(bodyA.required)} in spec, ${Boolean(bodyB.required)} in keyforge`,
      );
    compareKeys(`${op} request body`, 'media type', bodyA.content ?? {}, bodyB.content ?? {}, out, (type, m, n) =>
      compareSchemas(`${op} request body ${type}`, spec, m.schema, ours, n.schema, out),
    );
    compareKeys(op, 'response', x.responses ?? {}, y.responses ?? {}, out, (status, r, s) => {
      const [a, b] = [resolve(spec, r), resolve(ours, s)];
      compareKeys(`${op} response ${status}`, 'media type', a.content ?? {}, b.content ?? {}, out, (type, m, n) =>
        compareSchemas(`${op} response ${status} ${type}`, spec, m.schema, ours, n.schema, out),
      );
    });
  });
  return out;
}

/** `$ref`s that point nowhere: a document can be schema-valid and still have these. */
export function danglingRefs(doc: Json): string[] {
  const found: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === '$ref' && typeof child === 'string' && lookup(doc, child) === undefined) found.push(child);
        else visit(child);
      }
    }
  };
  visit(doc);
  return found;
}

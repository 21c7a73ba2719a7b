// Request bodies made from an OpenAPI document's schemas, for the document-driven fuzz test:
// values the schema accepts, the same values broken (a required field gone, a field of the wrong
// type, an extra field), other JSON, malformed text, and no body at all. Covers what the five
// vendor documents use: $ref, type (with null), enum, anyOf/oneOf, pattern, min/maxLength,
// formats date-time and uuid, arrays, objects with required and additional properties. A broken
// body may carry a key named like a member of Object.prototype ("__proto__", "toString", …).
import fc from 'fast-check';
import { PROTOTYPE_NAMES } from '../support/built-ins.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type FuzzBody = { kind: 'none' } | { kind: 'value'; value: unknown } | { kind: 'raw'; text: string };

function resolve(doc: Json, schema: Json): Json {
  let node = schema;
  for (let depth = 0; node?.$ref && depth < 10; depth++) {
    node = (node.$ref as string)
      .slice(2)
      .split('/')
      .reduce<Json>((at, part) => at?.[part], doc);
  }
  return node ?? {};
}

/** A value the schema accepts. */
export function valid(doc: Json, raw: Json | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!raw || depth > 4) return fc.jsonValue({ maxDepth: 1 });
  const schema = resolve(doc, raw);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const branches = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (branches) return fc.oneof(...branches.map((b) => valid(doc, b, depth + 1)));
  const types = [schema.type ?? (schema.properties ? 'object' : undefined)].flat().filter(Boolean) as string[];
  if (schema.nullable) types.push('null');
  if (types.length > 1)
    return fc.oneof(...types.map((type) => valid(doc, { ...schema, type, nullable: false }, depth + 1)));
  switch (types[0]) {
    case 'string':
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern as string));
      if (schema.format === 'date-time')
        return fc
          .date({ min: new Date('2030-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (schema.format === 'uuid') return fc.uuid();
      return fc.string({
        minLength: (schema.minLength as number) ?? 0,
        maxLength: Math.min((schema.maxLength as number) ?? 24, 24),
      });
    case 'integer':
      return fc.integer();
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(valid(doc, schema.items as Json, depth + 1), { maxLength: 3 });
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Json>;
      const shape = Object.fromEntries(
        Object.entries(properties).map(([name, child]) => [name, valid(doc, child, depth + 1)]),
      );
      return fc.record(shape, { requiredKeys: ((schema.required ?? []) as string[]).filter((name) => name in shape) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * A valid object with one thing wrong: a required field gone, a field of another type, one field
 * too many, or one key named like a member of Object.prototype.
 */
function broken(doc: Json, raw: Json | undefined): fc.Arbitrary<unknown> {
  const schema = raw ? resolve(doc, raw) : {};
  const names = Object.keys((schema.properties ?? {}) as object);
  return fc
    .tuple(
      valid(doc, raw),
      fc.constantFrom(...(names.length > 0 ? names : ['x'])),
      fc.jsonValue({ maxDepth: 2 }),
      fc.nat(3),
      fc.constantFrom(...PROTOTYPE_NAMES),
    )
    .map(([value, name, other, how, odd]) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const copy: Record<string, unknown> = { ...value };
      if (how === 0) delete copy[name];
      else if (how === 1) copy[name] = other;
      else if (how === 2) copy[`extra_${name}`] = other;
      else return Object.fromEntries([...Object.entries(copy), [odd, other]]); // defines "__proto__" as a key
      return copy;
    });
}

/** A valid object with one more key named like a member of Object.prototype, its value a number or a map. */
function withPrototypeName(doc: Json, raw: Json | undefined): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid(doc, raw), fc.constantFrom(...PROTOTYPE_NAMES), fc.constantFrom<unknown>(1, { admin: true }))
    .map(([value, name, extra]) =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.fromEntries([...Object.entries(value), [name, extra]])
        : value,
    );
}

const MALFORMED = [
  '',
  ' ',
  '{',
  '{"a":',
  '[',
  'nul',
  '\uFEFF',
  '{"a":1,}',
  'NaN',
  '{"a" "b"}',
  '["^ ","~:name"',
  '{:name "x"',
  '#{1 1}',
  '\u0000',
];

/** A body for an operation whose request body has `schema` (none when it has no body). */
export function bodyFor(doc: Json, schema: Json | undefined): fc.Arbitrary<FuzzBody> {
  const value = (arbitrary: fc.Arbitrary<unknown>) => arbitrary.map((v): FuzzBody => ({ kind: 'value', value: v }));
  return fc.oneof(
    { weight: 6, arbitrary: value(valid(doc, schema)) },
    { weight: 4, arbitrary: value(broken(doc, schema)) },
    { weight: 3, arbitrary: value(withPrototypeName(doc, schema)) },
    { weight: 1, arbitrary: value(fc.jsonValue({ maxDepth: 2 })) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(fc.constantFrom(...MALFORMED), fc.string({ maxLength: 30 }))
        .map((text): FuzzBody => ({ kind: 'raw', text })),
    },
    { weight: 1, arbitrary: fc.constant<FuzzBody>({ kind: 'none' }) },
  );
}

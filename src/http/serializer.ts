// Responses are written by fast-json-stringify (Fastify's own serializer), compiled once per
// route from the zod response schema's JSON Schema. The zod type provider's serializer would
// re-validate every response with zod and then call JSON.stringify: several times slower, and
// the response shapes are already checked by the contract tests against the vendors' documents.
import type { FastifySerializerCompiler } from 'fastify';
import fastJson, { type Schema } from 'fast-json-stringify';
import { z } from 'zod';

export const zodSerializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) => {
  // Compiled on a route's first answer, not at start-up: there are dozens of routes (each
  // vendor twice), and compiling them all up front tripled the time to the first request.
  let write: ((data: unknown) => string) | undefined;
  return (data) => (write ??= compile(schema))(data);
};

function compile(schema: z.ZodType): (data: unknown) => string {
  return fastJson(
    forWriting(z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'any' })) as Schema,
  );
}

type JsonSchema = { [key: string]: unknown };

/**
 * The JSON Schema cut down to what writing needs, in declared order:
 * - no `required`: fast-json-stringify writes required properties before optional ones, and
 *   vendors' field order is part of their wire format (Peaka's optional `name` comes first);
 * - no `format`, and `anyOf` of plain types as a type list: otherwise fast-json-stringify
 *   runs a validator on every value of a nullable date-time to pick the branch.
 */
function forWriting(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forWriting);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node as JsonSchema)) {
    if ((key === 'required' && Array.isArray(value)) || (key === 'format' && typeof value === 'string')) continue;
    out[key] = forWriting(value);
  }
  const branches = out.anyOf;
  if (Array.isArray(branches) && branches.every(isPlainType)) {
    delete out.anyOf;
    out.type = branches.map((branch: JsonSchema) => branch.type);
  }
  return out;
}

const isPlainType = (branch: JsonSchema): boolean =>
  typeof branch.type === 'string' &&
  branch.type !== 'object' &&
  branch.type !== 'array' &&
  Object.keys(branch).every((k) => k === 'type' || k === 'description');

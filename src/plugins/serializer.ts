// Responses are written by fast-json-stringify (Fastify's own serializer), compiled once per
// route from the zod response schema's JSON Schema. The zod type provider's serializer would
// re-validate every response with zod and then call JSON.stringify: several times slower, and
// the response shapes are already checked by the contract tests against the vendors' documents.
import type { FastifySerializerCompiler } from 'fastify';
import fastJson, { type Schema } from 'fast-json-stringify';
import { z } from 'zod';

export const zodSerializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) =>
  fastJson(withoutRequired(z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'any' })) as Schema);

/**
 * fast-json-stringify writes required properties before optional ones; vendors' field order
 * is part of their wire format (Peaka's `name` comes first though optional), so the schema
 * handed to it lists properties only in declared order.
 */
function withoutRequired(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutRequired);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([key, value]) => !(key === 'required' && Array.isArray(value))).map(([key, value]) => [key, withoutRequired(value)]));
}

// Basic's request and response bodies (openapi/basic.yaml for create; the lifecycle calls
// follow Basic's docs and docs/vendors/basic.md), declared once for validation, handler types and the
// generated OpenAPI document. Field order matters: it is the order Ajv reports missing fields.
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { answer, commonAnswers, keyforgeAnswer, type DocumentedAnswers } from '../../http/answers.js';

const projectId = z
  .string()
  .meta({ description: 'Unique identifier of the project', examples: ['0d3e5b1a-7c44-4f0e-9b2a-5a51c0de0001'] });
const keyId = z
  .string()
  .meta({ description: 'Unique identifier of the API key', examples: ['3f1c2a9e-8d4b-4c6a-9e1f-2b7d5c8a0e13'] });

export const projectParams = z.object({ id: projectId });
export const keyParams = z.object({ id: projectId, key_id: keyId });

export const createKeyRequest = z
  .object({
    label: z.string().meta({ description: 'A descriptive name for the API key', examples: ['ci'] }),
    roles: z
      .string()
      .meta({ description: 'Comma-separated list of permissions for this key', examples: ['read,write'] }),
  })
  .meta({ description: 'The new key: a label and its comma-separated roles' });

export const verifyKeyRequest = z
  .object({
    key: z
      .string()
      .meta({ description: 'The API key value to check', examples: ['bsk_kfdemo03BasicDemoKey00000000000000000000'] }),
    key_id: z.string().optional().meta({ description: 'When given, the key must also have this id' }),
  })
  .meta({ description: 'A key value to verify against this project' });

const keyFields = {
  id: z.string().meta({ description: 'Unique identifier of the API key' }),
  label: z.string().meta({ examples: ['ci'] }),
  roles: z.string().meta({ examples: ['read,write'] }),
};
const createdAt = z.iso
  .datetime()
  .meta({ description: 'ISO-8601 UTC, whole seconds', examples: ['2023-11-07T05:31:56Z'] });

/** A key as lists, gets and verify show it: never its value. */
export const keyView = z
  .object({ ...keyFields, created_at: createdAt })
  .meta({ description: 'An API key without its value' });

/** The create answer, fields in the document's order: the value sits before created_at. */
export const createKeyResponse = z
  .object({
    key: z.object({
      ...keyFields,
      value: z.string().meta({
        description: 'The actual API key value. Save this immediately as it cannot be retrieved later.',
        examples: ['bsk_kfdemo03BasicDemoKey00000000000000000000'],
      }),
      created_at: createdAt,
    }),
  })
  .meta({ description: 'API key created successfully' });

export const keyResponse = z.object({ key: keyView }).meta({ description: 'The API key, without its value' });
export const keyListResponse = z
  .object({ keys: z.array(keyView) })
  .meta({ description: "The project's API keys, oldest first" });
export const verifyKeyResponse = z.object({ is_valid: z.boolean(), key: keyView.nullable() }).meta({
  description: 'Whether the value is a live key of this project (and has key_id, when given); key is null when not',
});

const errorResponse = (description: string) =>
  z.object({ error: z.string().meta({ examples: ['Bad Request'] }), message: z.string() }).meta({ description });

const BAD_REQUEST = 'Bad Request - Invalid input';
const UNAUTHORIZED = 'Unauthorized - Invalid or missing authentication';
export const basicErrorSchema = errorResponse('An error, as Basic answers every error');

/** The error bodies Basic's routes write: 400 (routes that read a body), 401, 403 and 404 (serialized by these). */
export const errorResponses = {
  400: basicErrorSchema,
  401: basicErrorSchema,
  403: basicErrorSchema,
  404: basicErrorSchema,
};
export const bodilessErrorResponses = { 401: basicErrorSchema, 403: basicErrorSchema, 404: basicErrorSchema };
/** Verify needs no role, so it has no 403. */
export const verifyErrorResponses = { 400: basicErrorSchema, 401: basicErrorSchema, 404: basicErrorSchema };

const error = (status: number, message: string) => ({ error: STATUS_CODES[status] ?? 'Error', message });

/**
 * What an operation answers besides its success, for its document: 400 and 401 worded as in
 * Basic's document (which lists them for create), the rest marked as keyforge's.
 */
export function basicAnswers({
  readsBody,
  managesKeys,
  documented = [],
  badRequest = "body must have required property 'label'",
}: {
  /** Fastify parses the body of every method but GET and HEAD, whether the route wants one or not. */
  readsBody: boolean;
  managesKeys: boolean;
  documented?: readonly number[];
  /** The example message of its 400. */
  badRequest?: string;
}): DocumentedAnswers {
  const of = (status: number, description: string, message: string) =>
    (documented.includes(status) ? answer : keyforgeAnswer)(description, basicErrorSchema, error(status, message));
  return {
    ...(readsBody ? { 400: of(400, BAD_REQUEST, badRequest) } : {}),
    401: of(401, UNAUTHORIZED, 'Invalid or expired token'),
    ...(managesKeys
      ? {
          403: of(
            403,
            "Forbidden - an API key without the 'admin' role tried to manage keys",
            "API key lacks the 'admin' role required to manage keys",
          ),
        }
      : {}),
    404: of(404, 'Not Found - unknown project or key, or one this credential cannot reach', 'Project not found'),
    ...(readsBody
      ? {
          415: of(415, 'Unsupported Media Type - a body that is neither JSON nor text/plain', 'Unsupported Media Type'),
        }
      : {}),
    ...commonAnswers(basicErrorSchema, {
      ...(readsBody ? { tooLarge: error(413, 'Request body is too large') } : {}),
      rateLimited: error(429, 'rate limit of 60 calls per minute exceeded'),
      unavailable: error(503, 'fault injected by keyforge (fault 1)'),
      fault: error(502, 'fault injected by keyforge (fault 1)'),
    }),
  };
}

/**
 * Basic runs on Fastify, whose default Ajv has `coerceTypes: 'array'`: a number, boolean or
 * null where a string is wanted becomes "1", "true" or "", and a one-element array its element.
 * We do the same to the string fields of a body before zod sees it.
 */
export function coerceStringFields(body: unknown, fields: readonly string[]): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  for (const field of fields) {
    if (Object.hasOwn(record, field)) record[field] = coerceToString(record[field]);
  }
  return body;
}

function coerceToString(value: unknown): unknown {
  const item = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof item === 'string') return item;
  if (typeof item === 'number' || typeof item === 'boolean') return String(item);
  if (item === null) return '';
  return value;
}

/** Roles are a comma-separated list; Basic publishes no vocabulary, so we only trim. */
export function roleList(roles: string): string[] {
  return roles
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
}

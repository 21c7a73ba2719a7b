// Imtegrate's request and response bodies (openapi/imtegrate.yaml), declared once for
// validation, handler types and the generated OpenAPI document. Field order matters: pydantic
// reports errors in declaration order, and so does zod.
import { z } from 'zod';
import { pydanticParams } from '../../frameworks/fastapi/pydantic-errors.js';
import { parseUuid, uuidParseError } from '../../frameworks/fastapi/pydantic-types.js';

export const ENVS = ['test', 'live'] as const;
export type Env = (typeof ENVS)[number];

/** Scopes that may create and revoke keys; listing also accepts `api_keys:read`. */
export const WRITE_SCOPES = ['*', 'api_keys:write'] as const;
export const READ_SCOPES = ['*', 'api_keys:write', 'api_keys:read'] as const;

/**
 * `str` with `min_length`/`max_length` as pydantic counts them: in code points, so "😀" is one
 * character (zod's `.min()` would count two UTF-16 units). The bounds are still published.
 */
function pythonString(min: number, max: number) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const length = [...value].length;
      if (length < min)
        ctx.addIssue({
          code: 'too_small',
          origin: 'string',
          minimum: min,
          inclusive: true,
          input: value,
          message: 'too short',
        });
      if (length > max)
        ctx.addIssue({
          code: 'too_big',
          origin: 'string',
          maximum: max,
          inclusive: true,
          input: value,
          message: 'too long',
        });
    })
    .meta({ minLength: min, maxLength: max });
}

export const createApiKeyRequest = z
  .object({
    name: pythonString(2, 120).meta({ title: 'Name', description: 'A label for the key.', examples: ['ci-key'] }),
    scopes: z
      .array(z.string())
      .default([])
      .meta({
        title: 'Scopes',
        description: 'What the key may do; `*` or `api_keys:write` manage keys.',
        examples: [['api_keys:write']],
      }),
    env: z
      .string()
      .regex(/^(test|live)$/)
      .default('test')
      .meta({
        title: 'Env',
        description: 'The environment the key belongs to; it shows in the token.',
        examples: ['test'],
      }),
  })
  .meta({ id: 'ApiKeyCreate', title: 'ApiKeyCreate' });

const timestamp = z.string().meta({ format: 'date-time' });

const apiKeyFields = {
  id: z.string().meta({ format: 'uuid', title: 'Id' }),
  org_id: z.string().meta({ format: 'uuid', title: 'Org Id' }),
  prefix: z.string().meta({
    title: 'Prefix',
    description: 'The non-secret start of the token, which names the key.',
    examples: ['imt_test_AbCd1234'],
  }),
  name: z.string().meta({ title: 'Name' }),
  scopes: z.array(z.string()).meta({ title: 'Scopes' }),
  last_used_at: timestamp.nullable().meta({ title: 'Last Used At' }),
  revoked_at: timestamp.nullable().meta({ title: 'Revoked At' }),
  created_at: timestamp.meta({ title: 'Created At' }),
};

export const apiKeyResponse = z
  .object(apiKeyFields)
  .meta({ id: 'ApiKey', title: 'ApiKey', description: 'An API key, never with its token.' });

export const apiKeyCreatedResponse = z
  .object({ ...apiKeyFields, token: z.string().meta({ title: 'Token', description: 'The secret; shown only here.' }) })
  .meta({ id: 'ApiKeyCreated', title: 'ApiKeyCreated' });

export const apiKeyListResponse = z
  .array(apiKeyResponse)
  .meta({ description: "The org's keys, oldest first, revoked ones included." });

/**
 * `id: UUID` in the path, with pydantic's `uuid_parsing` wording. A refinement, not a transform,
 * so the schema stays publishable; the handler takes the canonical form from `parseUuid`.
 */
export const keyIdParams = z.object({
  id: z
    .string()
    .superRefine((value, ctx) => {
      if (parseUuid(value) !== null) return;
      const error = uuidParseError(value);
      ctx.addIssue({
        code: 'custom',
        message: error,
        input: value,
        params: pydanticParams('uuid_parsing', `Input should be a valid UUID, ${error}`, { error }),
      });
    })
    .meta({ format: 'uuid', description: 'The key id.' }),
});

export type ApiKeyView = z.output<typeof apiKeyResponse>;

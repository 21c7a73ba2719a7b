// Baseten's request and response bodies (openapi/baseten.yaml), declared once for
// validation, handler types and the generated OpenAPI document. Field order matters:
// pydantic reports errors in declaration order, and so does zod.
import { z } from 'zod';

export const API_KEY_TYPES = [
  'PERSONAL',
  'WORKSPACE_MANAGE_ALL',
  'WORKSPACE_EXPORT_METRICS',
  'WORKSPACE_INVOKE',
] as const;
export type ApiKeyType = (typeof API_KEY_TYPES)[number];

/** Only these types may carry model ids (docs/vendors/baseten.md). */
export const MODEL_SCOPED_TYPES: readonly ApiKeyType[] = ['WORKSPACE_EXPORT_METRICS', 'WORKSPACE_INVOKE'];

/** Only these types may manage keys. */
export const KEY_MANAGING_TYPES: readonly ApiKeyType[] = ['PERSONAL', 'WORKSPACE_MANAGE_ALL'];

export const createApiKeyRequest = z
  .object({
    name: z
      .string()
      .nullable()
      .default(null)
      .meta({ description: 'Optional name for the API key', examples: ['my-api-key'] }),
    type: z.enum(API_KEY_TYPES).meta({ description: 'Type of the API key.', examples: ['PERSONAL'] }),
    model_ids: z
      .array(z.string())
      .nullable()
      .default(null)
      .meta({
        description:
          "List of model IDs to scope the API key to, only present if type is 'WORKSPACE_EXPORT_METRICS' or 'WORKSPACE_INVOKE'",
        examples: [['aaaaaaaa']],
      }),
  })
  .superRefine((body, ctx) => {
    // Baseten's model validator: model ids only scope metrics and inference keys.
    if (body.model_ids !== null && !MODEL_SCOPED_TYPES.includes(body.type)) {
      ctx.addIssue({
        code: 'custom',
        message: 'model_ids can only be set for WORKSPACE_EXPORT_METRICS or WORKSPACE_INVOKE keys',
      });
    }
  })
  .meta({ id: 'CreateAPIKeyRequestV1', description: 'Request to create an API key.' });

export const apiKeyResponse = z
  .object({ api_key: z.string().meta({ description: 'The API key string' }) })
  .meta({ id: 'APIKeyV1', description: 'Represents an API key.' });

export const detailResponse = z.object({ detail: z.unknown() });

export const apiKeySummary = z
  .object({
    prefix: z.string().meta({ description: 'The part of the key before the dot; names the key' }),
    name: z.string().nullable(),
    type: z.enum(API_KEY_TYPES),
    model_ids: z.array(z.string()).nullable(),
    created_at: z.iso.datetime(),
    last_used_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'APIKeySummaryV1', description: 'An API key without its secret.' });

export const listApiKeysResponse = z.object({ keys: z.array(apiKeySummary) }).meta({ id: 'APIKeysV1' });

export const apiKeyPrefixParams = z.object({
  api_key_prefix: z.string().meta({ description: 'Prefix of the API key to delete' }),
});

export const deletedApiKeyResponse = z.object({ prefix: z.string() }).meta({ id: 'DeletedAPIKeyV1' });

// Bytebeam's bodies (openapi/bytebeam.yaml), declared once for validation, types and the
// generated document. Every body decodes to the same plain map whatever its media type, so
// one request schema validates all four; answers are declared per media type (`content`)
// because the handlers return Clojure-shaped values (wire.ts) that the plugin encodes itself.
import { z } from 'zod';
import { MEDIA_TYPES } from './codecs.js';

const role = z
  .string()
  .meta({ description: 'The role of the key. Only `admin` keys may manage keys.', examples: ['admin'] });
const name = z
  .string()
  .meta({ description: "The key's name, unique within the tenant; keys are deleted by name.", examples: ['ci'] });
const createdBy = z.string().meta({
  description: "Who created the key: the creating key's name, or the console user's email.",
  examples: ['admin@demo-tenant'],
});

/** Field order as in Bytebeam's malli schema (and its document): role, then name. */
export const createApiKeyRequest = z
  .object({ role, name })
  .strict()
  .meta({ id: 'ApikeySchema', description: 'The key to create; no other properties are allowed.' });
export type CreateApiKeyRequest = z.output<typeof createApiKeyRequest>;

export const apiKeyResponse = z
  .object({
    role,
    name,
    key: z.uuid().meta({ description: 'The new key, a UUID v4. It is shown only in this answer.' }),
    'created-by': createdBy,
  })
  .strict()
  .meta({ id: 'ApikeysResponse', description: 'The created key.' });

export const apiKeyEntry = z
  .object({ role, name, 'created-by': createdBy })
  .strict()
  .meta({ id: 'ApikeyEntry', description: 'A key of the tenant, without its secret.' });

export const apiKeyList = z
  .array(apiKeyEntry)
  .meta({ description: "The tenant's keys, oldest first, never with their secrets." });

export const apiKeyNameParams = z.object({
  name: z.string().meta({ description: 'The name of the key to delete.', examples: ['ci'] }),
});

/** A success answer documented in each media type Bytebeam speaks. */
export function inEveryMediaType(schema: z.ZodType, description: string) {
  return { description, content: Object.fromEntries(MEDIA_TYPES.map((mediaType) => [mediaType, { schema }])) };
}

/** `{"error": "<reason>"}`: every refusal but the body's, in the negotiated media type. */
export const errorBody = z
  .object({
    error: z.string().meta({ description: 'The HTTP reason phrase, or what went wrong', examples: ['Unauthorized'] }),
  })
  .meta({ id: 'BytebeamError', description: 'An error, as Bytebeam answers them.' });

/** reitit.ring.coercion's answer to a body that breaks the schema (keywords are strings in JSON). */
export const coercionError = z
  .object({
    type: z.string().meta({ examples: ['reitit.coercion/request-coercion'] }),
    coercion: z.string().meta({ examples: ['malli'] }),
    in: z.array(z.string()).meta({ examples: [['request', 'body-params']] }),
    humanized: z.unknown().meta({
      description:
        "malli's humanized errors: a list of messages per failing key, or one list when the body is not a map",
    }),
  })
  .meta({
    id: 'BytebeamCoercionError',
    description: "reitit's request-coercion error, with malli's humanized messages.",
  });

/** muuntaja's answer to a body that does not decode in its Content-Type. */
export const malformedBody = z
  .string()
  .meta({ description: 'Malformed "<media type>" request.', examples: ['Malformed "application/json" request.'] });

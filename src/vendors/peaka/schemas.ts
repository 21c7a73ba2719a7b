// Peaka's request and response bodies (openapi/peaka.yaml), declared once for validation,
// handler types and the generated OpenAPI document. Schema ids carry a `Peaka` prefix so they
// never collide with another vendor's `ApiKey` in a shared registry.
import { z } from 'zod';
import { RequestValidationError } from '../../http/validation.js';

const EXAMPLE_PROJECT = 'mtKDhe1U';
const EXAMPLE_KEY_ID = '21fd1a8d-88d5-4295-b792-5b2113138057';

export const projectParams = z.object({
  projectId: z.string().meta({ description: 'Project ID', examples: [EXAMPLE_PROJECT] }),
});

export const apiKeyParams = projectParams.extend({
  apiKeyId: z
    .string()
    .meta({ description: 'ID of the API key (apiKeyId from create or list)', examples: [EXAMPLE_KEY_ID] }),
});

// Jackson binds JSON null to a null field, which Peaka treats as absent: hence nullish.
// Unknown properties are ignored, as Spring Boot's Jackson defaults do.
export const createApiKeyRequest = z
  .object(
    {
      name: z
        .string({ error: 'must be a string' })
        .nullish()
        .meta({ description: 'Name of the API key', examples: ['test'] }),
      expiresAt: z.iso
        .datetime({ offset: true, error: 'must be an ISO-8601 date-time with a time zone, e.g. 2027-09-10T10:11:00Z' })
        .nullish()
        .meta({
          description:
            'The expiration date and time of the API key in ISO-8601 format (e.g. "2027-09-10T10:11:00Z"); must be in the future. If not provided, the API key does not expire.',
          examples: ['2027-09-10T10:11:00Z'],
        }),
    },
    { error: 'Request body must be a JSON object' },
  )
  .meta({ id: 'PeakaApiKeyRequest', description: 'API Key request' });

const keyId = z.uuid().meta({ description: 'ID of the API key', examples: [EXAMPLE_KEY_ID] });
const expiresAt = z.iso
  .datetime()
  .optional()
  .meta({
    description: 'Expiration date of the API key (ISO-8601, UTC). Absent when the key never expires.',
    examples: ['2027-09-10T10:11:00Z'],
  });
const name = z
  .string()
  .optional()
  .meta({ description: 'Name of the API key (absent when none was given)', examples: ['test'] });

export const apiKeyResponse = z
  .object({
    name,
    apiKey: z.string().meta({
      description: 'API key. It is a secret: it is shown only in this response.',
      examples: ['TtgGcQFq.s3fzROFoop8uHG4pS2LYhoqn1rLb6oW6'],
    }),
    apiKeyId: keyId,
    expiresAt,
  })
  .meta({ id: 'PeakaApiKey', description: 'Represents an API key.' });

export const apiKeySummary = z
  .object({ name, apiKeyId: keyId, expiresAt })
  .meta({ id: 'PeakaApiKeySummary', description: 'An API key as listed: never the secret.' });

export const apiKeyList = z.array(apiKeySummary).meta({ description: "The project's API keys, oldest first." });

/**
 * The expiry as a Date; in the past (or now) is a 400 like any other body rule. Checked in the
 * handler because "now" is the app's clock, which a static schema cannot see.
 */
export function futureExpiry(expiresAt: string | null | undefined, now: Date): Date | null {
  if (expiresAt === null || expiresAt === undefined) return null;
  const at = new Date(expiresAt);
  if (at.getTime() > now.getTime()) return at;
  throw new RequestValidationError(
    [{ code: 'custom', path: ['expiresAt'], message: 'must be in the future', input: expiresAt }],
    'body',
  );
}

/** Java's `Instant.toString()`, which Jackson writes for Peaka's dates: UTC, no zero fraction. */
export function instantString(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

// Bodies of the /_keyforge admin API.
import { z } from 'zod';
import { tenantName } from '../bootstrap/credentials.js';
import { VENDOR_NAMES } from '../vendors/dialect.js';

export const vendorName = z.enum(VENDOR_NAMES);
export type VendorName = z.infer<typeof vendorName>;

export const errorResponse = z.object({ error: z.string(), message: z.string() }).meta({ id: 'AdminError' });

export const healthResponse = z.object({
  status: z.enum(['ok', 'degraded']).meta({ description: '`degraded` with a reason: 503 when the database does not answer, 200 when only invalidations from other instances go unheard' }),
  reason: z.string().optional(),
  version: z.string(),
  vendors: z.array(vendorName),
});

export const createTenantRequest = z.object({
  vendor: vendorName,
  tenant: tenantName.optional().meta({ description: 'Generated when absent' }),
});

export const exampleRequest = z.object({
  method: z.literal('POST'),
  path: z.string(),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.unknown(),
});

export const createTenantResponse = z.object({
  vendor: vendorName,
  tenant: z.string(),
  project: z.string().optional(),
  request: exampleRequest,
});

export const keyView = z
  .object({
    id: z.string(),
    vendor: vendorName,
    tenant: z.string(),
    project: z.string().nullable(),
    name: z.string().nullable(),
    kind: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()).nullable(),
    state: z.enum(['active', 'revoked', 'expired']),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'AdminKey' });

export const keyIdParams = z.object({ id: z.string().meta({ description: 'The key id, as /_keyforge/keys lists it' }) });

export const listKeysQuery = z.object({
  vendor: vendorName.optional(),
  tenant: z.string().optional(),
});

export const listKeysResponse = z.object({ keys: z.array(keyView) });

export const verifyRequest = z.object({ vendor: vendorName, secret: z.string() });

export const verifyResponse = z.object({ valid: z.boolean(), key: keyView.optional() });

const headers = z.record(z.string(), z.string()).meta({ description: 'Lower-case names; secret values redacted' });
const body = z.string().nullable().meta({ description: 'At most 64 KiB, keys and tokens redacted; a binary body is described by its size' });

export const journalEntry = z
  .object({
    id: z.number().int(),
    time: z.iso.datetime(),
    instance: z.string().meta({ description: 'The keyforge instance that served the call' }),
    vendor: z.string().meta({ examples: ['baseten'] }),
    method: z.string(),
    path: z.string().meta({ description: 'As sent, query string included' }),
    status: z.number().int(),
    latencyMs: z.number(),
    tenant: z.string().nullable().meta({ description: 'The tenant whose credential the vendor accepted; null before auth or when refused' }),
    keyId: z.string().nullable().meta({ description: "keyforge's id of the key that made the call; null for a Basic user JWT, before auth or when refused" }),
    refusal: z
      .string()
      .nullable()
      .meta({ description: 'Which check refused the call: authentication, permission, validation, body, media type, not found, method, fault, rate limit…; null when it succeeded', examples: ['authentication'] }),
    request: z.object({ headers, body }),
    response: z.object({ headers, contentType: z.string().nullable(), body }),
  })
  .meta({ id: 'JournalEntry' });

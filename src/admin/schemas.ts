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

export { journalEntry } from '../pipeline/journal-entry.js';

// Bodies of the /_keyforge admin API.
import { z } from 'zod';
import { tenantName } from '../bootstrap/credentials.js';
import { CLOCK_RANGE, inClockRange } from '../keys/clock.js';
import { DURATION_PATTERN } from '../keys/duration.js';
import { VENDOR_NAMES } from '../vendors/dialect.js';

export const vendorName = z.enum(VENDOR_NAMES);
export type VendorName = z.infer<typeof vendorName>;

export const errorResponse = z.object({ error: z.string(), message: z.string() }).meta({ id: 'AdminError' });

export const healthResponse = z.object({
  status: z.enum(['ok', 'degraded']).meta({
    description:
      '`degraded` with a reason: 503 when the database does not answer, 200 when only invalidations from other instances go unheard',
  }),
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

export const keyIdParams = z.object({
  id: z.string().meta({ description: 'The key id, as /_keyforge/keys lists it' }),
});

export const listKeysQuery = z.object({
  vendor: vendorName.optional(),
  tenant: z.string().optional(),
});

export const listKeysResponse = z.object({ keys: z.array(keyView) });

export const verifyRequest = z.object({ vendor: vendorName, secret: z.string() });

export const verifyResponse = z.object({ valid: z.boolean(), key: keyView.optional() });

export { journalEntry } from '../pipeline/journal-entry.js';

// The test clock.
export const clockState = z
  .object({
    now: z.iso.datetime().meta({
      description: 'The emulated time every expiry, timestamp and rate-limit window reads',
      examples: ['2030-01-01T00:00:00.000Z'],
    }),
    offsetMs: z
      .number()
      .int()
      .meta({ description: 'Emulated minus real time, in milliseconds; 0 on real time', examples: [7_200_000] }),
  })
  .meta({ id: 'ClockState' });

export const clockChange = z
  .object({
    advance: z
      .string()
      .regex(
        DURATION_PATTERN,
        'must be an ISO-8601 duration such as PT2H, PT90S, P30D or P1Y2M (a fraction only on seconds)',
      )
      .optional()
      .meta({
        description:
          'An ISO-8601 duration to move the clock by: calendar steps (Y, M, W, D) in UTC, then H, M, S; a leading `-` moves it back',
        examples: ['PT2H'],
      }),
    at: z.iso
      .datetime({ offset: true, error: 'must be an ISO-8601 date-time with a time zone, e.g. 2030-01-01T00:00:00Z' })
      .refine(
        (at) => inClockRange(new Date(at)),
        `must lie between ${CLOCK_RANGE.earliest.toISOString()} and ${CLOCK_RANGE.latest.toISOString()}`,
      )
      .optional()
      .meta({ description: 'The time to set the clock to; it runs on from there', examples: ['2030-01-01T00:00:00Z'] }),
  })
  .strict()
  .refine((change) => (change.advance === undefined) !== (change.at === undefined), {
    message: 'give either advance or at',
  })
  .meta({ id: 'ClockChange' });

// Tenant reset and delete.
const tenantWipe = z
  .object({
    keys: z.number().int().meta({ description: 'Keys removed (a reset keeps the live root credentials)' }),
    projects: z.number().int().meta({ description: 'Projects removed (Basic, Peaka; only by a delete)' }),
    journalEntries: z.number().int(),
    faults: z.number().int(),
  })
  .meta({ id: 'TenantWipe' });

export const resetQuery = z
  .object({
    vendor: vendorName.optional(),
    tenant: z.string().min(1).optional().meta({ description: 'With `vendor`: only this tenant' }),
  })
  .refine((query) => query.tenant === undefined || query.vendor !== undefined, {
    message: 'tenant needs a vendor',
    path: ['tenant'],
  });

export const resetResponse = z.object({
  reset: z
    .array(vendorName)
    .meta({ description: 'The vendors whose state was wiped and re-seeded', examples: [['baseten']] }),
  tenant: z.string().optional().meta({ description: 'The tenant reset, when one was named' }),
  removed: tenantWipe.optional(),
});

export const tenantParams = z.object({ vendor: vendorName, tenant: z.string().min(1) });

export const deletedTenant = z.object({ vendor: vendorName, tenant: z.string(), removed: tenantWipe });

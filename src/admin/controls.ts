// Emulator controls for test authors: reset (all, a vendor's or a tenant's), the request journal,
// fault injection, the test clock and tenant delete (docs/contract.md, "Emulator controls"). The state they act
// on hangs on the app instance.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatedClock } from '../keys/clock.js';
import { faultInput, type FaultTable } from '../pipeline/faults.js';
import type { Journal } from '../pipeline/journal.js';
import { StatusError } from '../http/status-error.js';
import { DIALECTS } from '../vendors/index.js';
import { clockRoutes } from './clock.js';
import { errorResponse, journalEntry, resetQuery, resetResponse, vendorName } from './schemas.js';
import { streamRoutes } from './stream.js';
import { tenantRoutes, type TenantWiper } from './tenants.js';

export interface ControlsOptions extends TenantWiper {
  journal: Journal;
  faults: FaultTable;
  clock: EmulatedClock;
  reset(vendor?: string): Promise<void>;
  /** How often an idle journal stream gets a heartbeat comment. */
  heartbeatMs: number;
}

const vendorQuery = z.object({ vendor: vendorName.optional() });

const faultView = z.object({
  id: z.number(),
  vendor: vendorName,
  tenant: z.string().optional(),
  path: z.string().optional(),
  status: z.number().optional(),
  latencyMs: z.number().optional(),
  probability: z.number(),
  count: z.number().optional(),
  hits: z.number(),
  remaining: z.number().nullable(),
});

export const controlRoutes: FastifyPluginAsync<ControlsOptions> = async (
  instance,
  { journal, faults, clock, reset, resetTenant, deleteTenant, heartbeatMs },
) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/_keyforge/reset',
    {
      schema: {
        summary:
          'Wipes all state (or one vendor’s, or one tenant’s), then re-applies demo and seed credentials, atomically',
        description:
          'Without `vendor`: everything, and the test clock returns to real time. With `vendor`: that vendor’s tenants, keys, journal entries and faults. ' +
          'With `vendor` and `tenant`: the keys that tenant’s credentials issued, its journal entries and its faults; the tenant and its live root credentials stay ' +
          '(a demo or seed tenant’s come back as configured), and no other tenant waits or changes. Only a global reset moves the clock.',
        querystring: resetQuery,
        response: { 200: resetResponse, 404: errorResponse },
      },
    },
    async (request) => {
      const { vendor, tenant } = request.query;
      if (vendor !== undefined && tenant !== undefined) {
        const removed = await resetTenant(vendor, tenant);
        if (!removed) throw new StatusError(404, `no ${vendor} tenant ${tenant}`);
        return { reset: [vendor], tenant, removed };
      }
      await reset(vendor);
      // One shape for one vendor and for all: a client reads the list either way.
      return { reset: vendor ? [vendor] : DIALECTS.map((d) => d.name) };
    },
  );

  app.get(
    '/_keyforge/requests',
    {
      schema: {
        summary: 'Recent vendor calls, newest first, secrets redacted',
        description:
          'The request journal: every vendor call this keyforge (every instance on one PostgreSQL database) served, as a ring buffer of ' +
          '--journal-size entries. A refused call says which check refused it (`refusal`) and keeps the body the client sent, even when ' +
          'it was refused before the body was read (at most 64 KiB of it). Authorization headers and issued keys are redacted.',
        querystring: vendorQuery.extend({ limit: z.coerce.number().int().min(1).max(10_000).optional() }),
        response: { 200: z.object({ requests: z.array(journalEntry) }) },
      },
    },
    async (request) => ({ requests: await journal.list(request.query) }),
  );

  app.put(
    '/_keyforge/faults',
    {
      schema: {
        summary: 'Adds a fault for a vendor, or for one tenant of it',
        description:
          'Without `tenant` a fault acts before auth and validation; with `tenant` it fires only for calls whose credential belongs to that tenant, after the vendor’s authentication and before validation.',
        body: faultInput,
        response: { 201: faultView },
      },
    },
    async (request, reply) => reply.code(201).send(await faults.add(request.body)),
  );

  app.get(
    '/_keyforge/faults',
    { schema: { summary: 'Lists active faults', response: { 200: z.object({ faults: z.array(faultView) }) } } },
    async () => ({
      faults: await faults.list(),
    }),
  );

  app.delete(
    '/_keyforge/faults',
    {
      schema: {
        summary: 'Clears faults: all, one vendor’s, one tenant’s (with its vendor), or one by id',
        querystring: vendorQuery.extend({
          tenant: z.string().min(1).optional(),
          id: z.coerce.number().int().optional(),
        }),
        response: { 200: z.object({ cleared: z.number() }) },
      },
    },
    async (request) => ({ cleared: await faults.clear(request.query) }),
  );

  await app.register(streamRoutes, { journal, heartbeatMs });
  await app.register(clockRoutes, { clock });
  await app.register(tenantRoutes, { resetTenant, deleteTenant });
};

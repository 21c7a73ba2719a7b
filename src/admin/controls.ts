// Emulator controls for test authors: reset, the request journal and fault injection
// (docs/contract.md, "Emulator controls"). The state they act on hangs on the app instance.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { faultInput, type FaultTable } from '../pipeline/faults.js';
import type { Journal } from '../pipeline/journal.js';
import { DIALECTS } from '../vendors/index.js';
import { journalEntry, vendorName } from './schemas.js';
import { streamRoutes } from './stream.js';

export interface ControlsOptions {
  journal: Journal;
  faults: FaultTable;
  reset(vendor?: string): Promise<void>;
  /** How often an idle journal stream gets a heartbeat comment. */
  heartbeatMs: number;
}

const vendorQuery = z.object({ vendor: vendorName.optional() });

const faultView = z.object({
  id: z.number(),
  vendor: vendorName,
  path: z.string().optional(),
  status: z.number().optional(),
  latencyMs: z.number().optional(),
  probability: z.number(),
  count: z.number().optional(),
  hits: z.number(),
  remaining: z.number().nullable(),
});

export const controlRoutes: FastifyPluginAsync<ControlsOptions> = async (instance, { journal, faults, reset, heartbeatMs }) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/_keyforge/reset',
    {
      schema: {
        summary: 'Wipes all state (or one vendor’s), then re-applies demo and seed credentials, atomically',
        querystring: vendorQuery,
        response: { 200: z.object({ reset: z.array(vendorName).meta({ description: 'The vendors whose state was wiped and re-seeded', examples: [['baseten']] }) }) },
      },
    },
    async (request) => {
      await reset(request.query.vendor);
      // One shape for one vendor and for all: a client reads the list either way.
      return { reset: request.query.vendor ? [request.query.vendor] : DIALECTS.map((d) => d.name) };
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
    { schema: { summary: 'Adds a fault for a vendor', body: faultInput, response: { 201: faultView } } },
    async (request, reply) => reply.code(201).send(await faults.add(request.body)),
  );

  app.get('/_keyforge/faults', { schema: { summary: 'Lists active faults', response: { 200: z.object({ faults: z.array(faultView) }) } } }, async () => ({
    faults: await faults.list(),
  }));

  app.delete(
    '/_keyforge/faults',
    {
      schema: {
        summary: 'Clears faults: all, one vendor’s, or one by id',
        querystring: vendorQuery.extend({ id: z.coerce.number().int().optional() }),
        response: { 200: z.object({ cleared: z.number() }) },
      },
    },
    async (request) => ({ cleared: await faults.clear(request.query) }),
  );

  await app.register(streamRoutes, { journal, heartbeatMs });
};

// Fault injection: per vendor (and optional path prefix), answer a status in the vendor's own
// error shape, add latency, with a probability, clearing after `count` hits. Faults act in
// an onRequest hook ahead of every vendor hook, so they come before auth and validation.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { StatusError } from '../vendors/common/status-error.js';
import { VENDOR_NAMES } from '../vendors/dialect.js';
import { vendorOf } from './journal.js';

export const faultInput = z
  .object({
    vendor: z.enum(VENDOR_NAMES),
    path: z.string().startsWith('/').optional().meta({ description: 'Path prefix, with or without the /<vendor> mount' }),
    status: z.number().int().min(400).max(599).optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    probability: z.number().min(0).max(1).default(1),
    count: z.number().int().min(1).optional().meta({ description: 'Hits after which the fault clears itself' }),
  })
  .refine((f) => f.status !== undefined || f.latencyMs !== undefined, { message: 'a fault needs a status, a latencyMs or both' });

export type FaultInput = z.output<typeof faultInput>;
export interface Fault extends FaultInput {
  id: number;
  hits: number;
  remaining: number | null;
}

export class FaultTable {
  private faults: Fault[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(input: FaultInput): Fault {
    const fault: Fault = { ...input, id: this.nextId++, hits: 0, remaining: input.count ?? null };
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(filter: { vendor?: string; id?: number } = {}): number {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => (filter.vendor !== undefined && f.vendor !== filter.vendor) || (filter.id !== undefined && f.id !== filter.id));
    return before - this.faults.length;
  }

  /** The first fault that applies to this request and fires this time, counted as a hit. */
  take(vendor: string, path: string): Fault | undefined {
    const relative = path.startsWith(`/${vendor}/`) ? path.slice(vendor.length + 1) : path;
    const fault = this.faults.find((f) => f.vendor === vendor && (f.path === undefined || path.startsWith(f.path) || relative.startsWith(f.path)));
    if (!fault || this.random() >= fault.probability) return undefined;
    fault.hits++;
    if (fault.remaining !== null && --fault.remaining === 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
  }

  install(app: FastifyInstance): void {
    // Callback-style, so calls pay nothing while no fault is set.
    app.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
      const vendor = vendorOf(request);
      const fault = vendor === undefined || this.faults.length === 0 ? undefined : this.take(vendor, request.url.split('?')[0]!);
      if (!fault) return done();
      const fail = () => done(fault.status === undefined ? undefined : new StatusError(fault.status, `fault injected by keyforge (fault ${fault.id})`));
      if (fault.latencyMs) void sleep(fault.latencyMs).then(fail);
      else fail();
    });
  }
}

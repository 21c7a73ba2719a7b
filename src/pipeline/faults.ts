// Fault injection: per vendor (and optional path prefix), answer a status in the vendor's own
// error shape, add latency, with a probability, clearing after `count` hits (counted once
// across every instance). Faults act in an onRequest hook ahead of every vendor hook, so they
// come before auth and validation. A fault that names a tenant fires only for calls whose
// credential belongs to it, so it is checked once the vendor's auth has accepted the
// credential and before validation (hooks each vendor route gets, tenant-faults.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FaultFilter, FaultRecord, FaultRecords } from '../db/shared-state.js';
import { StatusError } from '../http/status-error.js';
import { VENDOR_NAMES } from '../vendors/dialect.js';
import { vendorOf } from './journal.js';

export const faultInput = z
  .object({
    vendor: z.enum(VENDOR_NAMES),
    tenant: z.string().min(1).max(256).optional().meta({
      description:
        "Fires only for calls whose credential belongs to this tenant (its name), checked after the vendor's authentication and before validation",
    }),
    path: z
      .string()
      .startsWith('/')
      .optional()
      .meta({ description: 'Path prefix, with or without the /<vendor> mount' }),
    status: z.number().int().min(400).max(599).optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    probability: z.number().min(0).max(1).default(1),
    count: z.number().int().min(1).optional().meta({ description: 'Hits after which the fault clears itself' }),
  })
  .refine((f) => f.status !== undefined || f.latencyMs !== undefined, {
    message: 'a fault needs a status, a latencyMs or both',
  });

export type FaultInput = z.output<typeof faultInput>;
/** A fault as the admin API shows it (its vendor was checked against VENDOR_NAMES when added). */
export type Fault = FaultRecord & { vendor: (typeof VENDOR_NAMES)[number] };

/** A fault's status, answered in the vendor's shape like any StatusError. */
export class InjectedFault extends StatusError {
  override readonly refusal = 'fault';
}

/** Matches calls against the faults in force (kept by the storage, shared by every instance) and fires them. */
export class FaultTable {
  constructor(
    private readonly records: FaultRecords,
    private readonly random: () => number = Math.random,
  ) {}

  async add(input: FaultInput): Promise<Fault> {
    return (await this.records.add(input)) as Fault;
  }

  async list(): Promise<Fault[]> {
    return (await this.records.list()) as Fault[];
  }

  clear(filter: FaultFilter = {}): Promise<number> {
    return this.records.clear(filter);
  }

  /**
   * Whether a fault naming a tenant may be in force (the after-auth check costs nothing
   * otherwise); while this instance reads faults from the table (it cannot hear), maybe.
   */
  get anyForTenants(): boolean {
    const inForce = this.records.current();
    return inForce instanceof Promise || inForce.some((f) => f.tenant !== undefined);
  }

  /**
   * The first fault that applies to this request and fires this time, counted as a hit (once
   * across the cluster): of the faults without a tenant, or (`tenant` given) of that tenant's.
   */
  async take(
    vendor: string,
    path: string,
    tenant?: string,
    inForce = this.records.current(),
  ): Promise<FaultRecord | undefined> {
    const relative = path.startsWith(`/${vendor}/`) ? path.slice(vendor.length + 1) : path;
    const fault = (await inForce).find(
      (f) =>
        f.vendor === vendor &&
        f.tenant === tenant &&
        (f.path === undefined || path.startsWith(f.path) || relative.startsWith(f.path)),
    );
    if (!fault || this.random() >= fault.probability) return undefined;
    // Another instance may have used up its last hit meanwhile.
    return (await this.records.hit(fault.id)) ?? undefined;
  }

  install(app: FastifyInstance): void {
    app.decorateRequest('tenantFaultsChecked', false);
    // Callback-style, so calls pay nothing while no fault is set.
    app.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
      const vendor = vendorOf(request);
      if (vendor === undefined) return done();
      const inForce = this.records.current();
      if (!(inForce instanceof Promise) && inForce.length === 0) return done();
      this.take(vendor, request.url.split('?')[0]!, undefined, inForce).then((fault) => fire(fault, done), done);
    });
  }
}

/** Waits a fault's latency, then fails the call with its status (or lets it go on). */
export function fire(fault: FaultRecord | undefined, done: (err?: Error) => void): void {
  if (!fault) return done();
  const fail = () =>
    done(
      fault.status === undefined
        ? undefined
        : new InjectedFault(fault.status, `fault injected by keyforge (fault ${fault.id})`),
    );
  if (fault.latencyMs) void sleep(fault.latencyMs).then(fail);
  else fail();
}

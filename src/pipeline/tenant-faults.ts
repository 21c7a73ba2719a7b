// Faults that name a tenant fire only for calls whose credential belongs to it: after the
// vendor's authentication, before validation. Vendors authenticate in different hooks (Basic,
// Baseten, Bytebeam and Peaka in their plugin's onRequest, Imtegrate in each route's
// preValidation, as FastAPI dependencies run), so every vendor route gets the check appended to
// both; the first to find the caller's tenant checks, once per call. No vendor is named here.
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { callerTenant } from './caller.js';
import { fire, type FaultTable } from './faults.js';
import { vendorOf } from './journal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whether this call's tenant faults were checked (the check runs once per call). */
    tenantFaultsChecked: boolean;
  }
}

type Hook = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void;
const asArray = <T>(hooks: T | T[] | undefined): T[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];

export class TenantFaults {
  constructor(private readonly faults: FaultTable) {}

  /** Appends the check to a vendor route's onRequest and preValidation hooks (from an onRoute hook). */
  attach(route: RouteOptions): void {
    route.onRequest = [...asArray(route.onRequest), this.check as never];
    route.preValidation = [...asArray(route.preValidation), this.check as never];
  }

  // Callback-style, and nothing to do while no fault names a tenant.
  private readonly check: Hook = (request, _reply, done) => {
    if (request.tenantFaultsChecked || !this.faults.anyForTenants) return done();
    const tenant = callerTenant(request);
    const vendor = vendorOf(request);
    if (tenant === null || vendor === undefined) return done();
    request.tenantFaultsChecked = true;
    this.faults.take(vendor, request.url.split('?')[0]!, tenant).then((fault) => fire(fault, done), done);
  };
}

// Who made a call, as the pipeline sees it once the vendor's auth has run.
import type { FastifyRequest } from 'fastify';

/** The tenant whose credential the vendor's auth accepted: a key's, or a Basic user JWT's account; null before auth. */
export function callerTenant(request: FastifyRequest): string | null {
  const principal = request.principal;
  return principal !== null ? principal.tenant.name : (request.basicCaller?.tenant.name ?? null);
}

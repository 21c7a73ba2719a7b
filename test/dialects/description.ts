// What the tests know of one vendor, declared once per vendor in test/dialects/<vendor>.ts and
// listed by test/dialects/index.ts. The shared test support (test/reliability/support.ts,
// test/cluster/support.ts) and the tests that cover every vendor read these descriptions
// instead of switching over vendor names.
import type { LightMyRequestResponse } from 'fastify';
import type { VendorName } from '../../src/vendors/dialect.js';

/** A parsed JSON answer body, as loosely typed as the tests read it. */
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What `POST /_keyforge/tenants` answers: a tenant and the exact request that creates a key as it. */
export interface Tenant {
  vendor: VendorName;
  tenant: string;
  project?: string;
  request: {
    method: 'POST';
    path: string;
    url: string;
    headers: Record<string, string>;
    body: Record<string, unknown>;
  };
}

export interface DialectTestDescription<V extends VendorName = VendorName> {
  readonly vendor: V;

  // Keys: creating them, naming them, using them.

  /** The tenant's ready create body made unique by `unique` where the vendor needs it (a copy). */
  uniqueCreateBody(body: Record<string, unknown>, unique: string): Record<string, unknown>;
  /** What a lifecycle create adds to that body: a key that may manage keys, named after `unique`. */
  lifecycleCreateFields(unique: string): Record<string, unknown>;
  /** The secret of a create answer (JSON). */
  issuedSecret(created: Json): string;
  /** What later calls name the key of a create answer by. */
  handleOf(created: Json): string;
  /** The part of an issued or root secret that is not its stored, non-secret lookup id. */
  secretTail(secret: string): string;
  /** The headers a client sends `secret` in, as the tenant's credential. */
  credentialHeaders(tenant: Tenant, secret: string): Record<string, string>;
  /** The path a GET of which lists the tenant's keys: it needs a working credential (2xx, or 403 for a key that may not manage keys). */
  keysPath(tenant: Tenant): string;
  /** Whether a list answer's body shows the key named `handle` (and, where the vendor revokes, as live). */
  lists(listed: Json, handle: string): boolean;
  /** The call that deletes or revokes the key named `handle` (sent with the tenant's root credential). */
  removeCall(tenant: Tenant, handle: string): { method: 'DELETE' | 'POST'; path: string };
  /** A credential no key has that its auth refuses with 401 (not a syntax error first). */
  readonly refusedSecret: string;

  // Tenants.

  /** Its tenants have projects (counted by a tenant delete). */
  readonly hasProjects: boolean;
  /** The root credential is a stored key (Basic's is a user JWT, not stored). */
  readonly rootIsStoredKey: boolean;

  // Paths and answers.

  /** Path prefixes at the root mount that reach this vendor (besides `/<vendor>`). */
  readonly realPaths: readonly string[];
  /** A 2xx answer its clients would parse as a success. */
  isSuccess(res: LightMyRequestResponse): boolean;
  /** A 4xx answer in its own error shape. */
  isError(res: LightMyRequestResponse): boolean;
  /** Its framework redirects a trailing slash with a bodiless 307 (Starlette). */
  readonly redirectsTrailingSlash: boolean;
  /** Its framework answers HEAD as the GET of the path: Fastify and Spring do, FastAPI and reitit not (docs/vendors/*.md). */
  readonly headAsGet: boolean;
  /** What its framework answers a method the path has no route for: Fastify 404, the others 405. */
  readonly unroutedMethodStatus: 404 | 405;
  /** Its framework's 406 to an Accept its error page cannot serve may have no body (Spring Boot). */
  readonly bodiless406: boolean;
  /** Asserts the body of its 503 while the database is unavailable. */
  expectUnavailable(body: unknown): void;
}

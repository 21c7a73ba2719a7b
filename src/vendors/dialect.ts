// What every vendor folder exports: its route plugin and how to bootstrap a tenant's root
// credential (demo, seed file, admin API) and the request that uses it to create a key.
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { DocumentSettings } from '../docs/settings.js';
import type { KeyFormat } from '../keys/formats.js';
import type { TenantRow } from '../db/key-store.js';
import type { Clock, KeyService } from '../keys/service.js';
import type { Settings } from '../keys/settings.js';
import type { TenantDirectory } from '../keys/tenants.js';

export const VENDOR_NAMES = ['basic', 'baseten', 'bytebeam', 'peaka', 'imtegrate'] as const;
export type VendorName = (typeof VENDOR_NAMES)[number];

/** The shared services a dialect's bootstrap code may use. */
export interface KeyforgeServices {
  keys: KeyService;
  tenants: TenantDirectory;
  settings: Settings;
  clock: Clock;
}

/** A tenant's root credential: the secret a client starts from, and the project it works on. */
export interface RootCredential {
  tenant: string;
  secret: string;
  project?: string;
}

/** A ready-to-send request; `path` is relative to the vendor's root mount. */
export interface ExampleRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /**
   * A string field of `body` whose value must differ on every call (Bytebeam key names are
   * unique in a tenant): a line meant to be pasted again and again gives it a fresh suffix.
   */
  uniqueField?: string;
}

export interface VendorDialect {
  readonly name: VendorName;
  readonly title: string;
  /** Mounted at the vendor's real paths and again under `/<name>`; stays encapsulated. */
  readonly routes: FastifyPluginAsync;
  /** Answers unknown paths under `/<name>` in the vendor's shape. */
  notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply;
  /**
   * Answers the refusal of the body of a request no route serves, when its framework reads
   * such bodies (Fastify's 404 route); undefined keeps keyforge's 404.
   */
  unroutedBodyError?(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined;
  /** Answers a URL the router cannot take (a bad percent-escape, an over-long parameter) as its framework does, instead of a 404. */
  badUrl?(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply;
  /** What its generated OpenAPI document says beyond the route schemas (servers, security). */
  readonly document: DocumentSettings;
  /** The format of the keys it issues (admin verify, seed files). */
  readonly keyFormat: KeyFormat;
  /**
   * Its server is uvicorn, not Node: a request whose `Expect` is not 100-continue is served, not
   * answered 417 (src/http/expectations.ts), and a URL reaches it as Python's unquote decodes
   * it (starlette-router.ts, starletteSafeUrl).
   */
  readonly server?: 'uvicorn';
  /** The request header (lower case) that carries the secret: redacted, and rate-limited on. */
  readonly credentialHeader: string;
  /** The well-known demo tenant and credential (loopback only). */
  readonly demo: RootCredential;
  /** Issues a fresh root credential for the tenant (admin API). */
  issueRootCredential(services: KeyforgeServices, tenant: TenantRow): Promise<RootCredential>;
  /** Stores a fixed root credential (demo and seed), idempotently. */
  ensureRootCredential(
    services: KeyforgeServices,
    tenant: TenantRow,
    secret: string,
    project?: string,
  ): Promise<RootCredential>;
  /** The request that creates a key with that root credential, exactly as a client sends it. */
  createKeyRequest(root: RootCredential): ExampleRequest;
}

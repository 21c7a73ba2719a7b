// The package's public types (dist/index.d.ts), written out here so that a project's compiler
// reads only this file and Fastify's types: none of keyforge's internals and no zod, argon2 or
// database types. test/package/public-types.ts fails typecheck when one stops matching the
// internal type it describes (the seed schema's input, the journal's entries, …).
import type { FastifyInstance } from 'fastify';

export type VendorName = 'basic' | 'baseten' | 'bytebeam' | 'peaka' | 'imtegrate';

/** Seed data: the JSON of a `--seed` file, or the object given to startKeyforge. */
export interface SeedFile {
  tenants: Array<{
    vendor: VendorName;
    /** 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit. */
    tenant: string;
    /** Basic and Peaka: the project the credentials belong to (created if missing). */
    project?: string | undefined;
    /** Fixed root credentials, each in the vendor's key format. */
    credentials?: string[] | undefined;
  }>;
}

/** A request that creates a key as a tenant, ready to send. */
export interface ExampleRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** A string field of `body` whose value must differ on every call (Bytebeam key names). */
  uniqueField?: string;
}

export interface TenantCredential {
  vendor: VendorName;
  tenant: string;
  project?: string;
  request: ExampleRequest;
}

/** A created tenant: its root credential and the ready request, with an absolute URL. */
export type CreatedTenant = TenantCredential & { request: TenantCredential['request'] & { url: string } };

/** One vendor call in the request journal. */
export interface JournalEntry {
  id: number;
  /** When the call was served (real time). */
  time: string;
  /** The test clock's time then, while the clock was moved; null on real time. */
  emulatedTime: string | null;
  /** The keyforge instance that served the call. */
  instance: string;
  vendor: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  /** The tenant and keyforge's key id of the credential the vendor accepted; null before auth or when it refused. */
  tenant: string | null;
  keyId: string | null;
  /** Which check refused the call (a 4xx or 5xx answer), e.g. `authentication`; null when it succeeded. */
  refusal: string | null;
  request: { headers: Record<string, string>; body: string | null };
  response: { headers: Record<string, string>; contentType: string | null; body: string | null };
}

export interface StartOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** SQLite file, `:memory:` (default) or a postgres:// URL. */
  db?: string;
  hashProfile?: 'owasp' | 'fast';
  /** A seed file path, or the seed data itself. */
  seed?: string | SeedFile;
  auth?: 'strict' | 'any';
  adminToken?: string;
  demo?: boolean;
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** The test clock as its calls answer: the emulated time (ISO-8601) and its offset from real time. */
export interface ClockView {
  now: string;
  offsetMs: number;
}

/** What a tenant reset or delete removed. */
export interface RemovedState {
  keys: number;
  /** Basic and Peaka projects; only a delete removes them. */
  projects: number;
  journalEntries: number;
  faults: number;
}

/** The test clock: every expiry, timestamp and rate-limit window reads it. */
export interface TestClock {
  /** Its time and offset. */
  get(): Promise<ClockView>;
  /** Moves it by an ISO-8601 duration (`'PT2H'`, `'P30D'`); time runs on from there. */
  advance(duration: string): Promise<ClockView>;
  /** Sets it to a date (a Date or an ISO-8601 date-time with a time zone). */
  set(date: Date | string): Promise<ClockView>;
  /** Back to real time. */
  reset(): Promise<ClockView>;
}

export interface RunningKeyforge {
  /** Base URL, e.g. `http://127.0.0.1:43817`; vendor paths go straight after it. */
  url: string;
  adminToken: string;
  /** The Fastify app, for `inject()` or anything the API below lacks. */
  app: FastifyInstance;
  createTenant(vendor: VendorName, tenant?: string): Promise<CreatedTenant>;
  /** Wipes everything (the clock returns to real time) or one vendor's state, then re-applies demo and seed credentials. */
  reset(vendor?: VendorName): Promise<void>;
  /**
   * Removes the keys the tenant's credentials issued, its journal entries and faults; keeps the
   * tenant and its root credentials. Rejects when there is no such tenant.
   */
  resetTenant(vendor: VendorName, tenant: string): Promise<RemovedState>;
  /** Removes the tenant with its projects, root credentials, keys, journal entries and faults. Rejects when there is no such tenant. */
  deleteTenant(vendor: VendorName, tenant: string): Promise<RemovedState>;
  clock: TestClock;
  /** The request journal, newest first (every instance's calls when they share a database). */
  requests(filter?: { vendor?: VendorName; limit?: number }): Promise<JournalEntry[]>;
  close(): Promise<void>;
}

// The admin API's answers as the console reads them (documented in openapi/keyforge.yaml, which
// is generated from the server's zod schemas). The journal entry's type comes from its one
// declaration (a type-only import: esbuild erases it, so the page bundles no zod).

export type { JournalEntry } from '../../src/pipeline/journal-entry.js';

export interface KeyView {
  id: string;
  vendor: string;
  tenant: string;
  project: string | null;
  name: string | null;
  kind: string;
  prefix: string;
  scopes: string[] | null;
  state: 'active' | 'revoked' | 'expired';
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Fault {
  id: number;
  vendor: string;
  tenant?: string;
  path?: string;
  status?: number;
  latencyMs?: number;
  probability: number;
  count?: number;
  hits: number;
  remaining: number | null;
}

export interface FaultInput {
  vendor: string;
  tenant?: string;
  path?: string;
  status?: number;
  latencyMs?: number;
  probability?: number;
  count?: number;
}

export interface ReadyRequest {
  method: string;
  path: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface CreatedTenant {
  vendor: string;
  tenant: string;
  project?: string;
  request: ReadyRequest;
}

export interface Health {
  status: 'ok' | 'degraded';
  /** What is amiss, when degraded. */
  reason?: string;
  version: string;
  vendors: string[];
  /** Set by the client: the answer was 503, the database does not answer. */
  databaseDown: boolean;
}

/** The test clock: its emulated time and offset from real time (0 = real time). */
export interface ClockState {
  now: string;
  offsetMs: number;
}

/** What a tenant reset or delete removed. */
export interface TenantWipe {
  keys: number;
  projects: number;
  journalEntries: number;
  faults: number;
}

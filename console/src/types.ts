// The admin API's answers as the console reads them (documented in openapi/keyforge.yaml, which
// is generated from the server's zod schemas; the page does not bundle zod just for types).

export interface JournalEntry {
  id: number;
  time: string;
  instance: string;
  vendor: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  tenant: string | null;
  keyId: string | null;
  /** Which check refused the call, when the journal knows (newer keyforge versions). */
  refusal?: string | null;
  request: { headers: Record<string, string>; body: string | null };
  response: { headers: Record<string, string>; contentType: string | null; body: string | null };
}

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
  status: string;
  version: string;
  vendors: string[];
}

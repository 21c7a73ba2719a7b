// Root credentials for tenants: the admin API issues fresh ones; demo and seed credentials
// are fixed secrets stored idempotently, so a restart or reset re-applies them harmlessly.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config.js';
import { randomBase62 } from '../keys/formats.js';
import {
  VENDOR_NAMES,
  type VendorName,
  type ExampleRequest,
  type KeyforgeServices,
  type RootCredential,
  type VendorDialect,
} from '../vendors/dialect.js';

export const tenantName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

export interface TenantCredential {
  vendor: VendorName;
  tenant: string;
  project?: string;
  request: ExampleRequest;
}

/** Creates the tenant if needed and issues it a new root credential (admin API). */
export async function createTenantCredential(
  services: KeyforgeServices,
  dialect: VendorDialect,
  tenant?: string,
): Promise<TenantCredential> {
  const row = await services.tenants.ensure(dialect.name, tenant ?? `tenant-${randomBase62(8).toLowerCase()}`);
  return describe(dialect, await dialect.issueRootCredential(services, row));
}

function describe(dialect: VendorDialect, root: RootCredential): TenantCredential {
  return {
    vendor: dialect.name,
    tenant: root.tenant,
    ...(root.project === undefined ? {} : { project: root.project }),
    request: dialect.createKeyRequest(root),
  };
}

const seedSchema = z.object({
  tenants: z.array(
    z.object({
      vendor: z.enum(VENDOR_NAMES),
      tenant: tenantName,
      project: z.string().min(1).optional(),
      credentials: z.array(z.string().min(1)).default([]),
    }),
  ),
});
/** A seed as written: a file's JSON, or the object given to startKeyforge (`credentials` optional). */
export type SeedFile = z.input<typeof seedSchema>;
/** A seed once validated. */
export type Seed = z.output<typeof seedSchema>;

/** A seed that cannot be read or applied: a configuration error, like a bad flag (exit status 2). */
export class SeedError extends ConfigError {}

/** Reads and validates a seed file; every problem is one line naming the file. */
export function readSeedFile(path: string): Seed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SeedError(
      `cannot read seed file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SeedError(`seed file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseSeed(json, `seed file ${path}`);
}

/** Validates seed data (`source` names it in the one-line error), as a file's or given inline. */
export function parseSeed(data: unknown, source = 'seed'): Seed {
  const result = seedSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new SeedError(`${source}: ${issue.path.join('.') || '(root)'} ${issue.message}`);
  }
  return result.data;
}

/** Stores the demo tenants' well-known credentials and returns them. */
export async function applyDemo(
  services: KeyforgeServices,
  dialects: readonly VendorDialect[],
): Promise<TenantCredential[]> {
  // One after the other: inside a PostgreSQL transaction, queries share one connection.
  const demo: TenantCredential[] = [];
  for (const dialect of dialects) {
    const { tenant, secret, project } = dialect.demo;
    const row = await services.tenants.ensure(dialect.name, tenant);
    demo.push(describe(dialect, await dialect.ensureRootCredential(services, row, secret, project)));
  }
  return demo;
}

/** Stores a seed file's tenants and fixed credentials. */
export async function applySeed(
  services: KeyforgeServices,
  dialects: readonly VendorDialect[],
  seed: Seed,
): Promise<void> {
  for (const entry of seed.tenants) {
    const dialect = dialects.find((d) => d.name === entry.vendor);
    if (!dialect) continue;
    const row = await services.tenants.ensure(dialect.name, entry.tenant);
    for (const secret of entry.credentials) {
      try {
        await dialect.ensureRootCredential(services, row, secret, entry.project);
      } catch (err) {
        throw new SeedError(`seed credential for ${entry.vendor}/${entry.tenant}: ${(err as Error).message}`);
      }
    }
  }
}

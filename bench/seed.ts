// Fills a keyforge database with N keys (default 1,000,000) quickly, for the "large database"
// bench cases. Rows go into the real schema (migrations applied by src/db/sqlite/client.ts) through
// better-sqlite3 prepared statements, in large transactions. Every key shares one precomputed
// fast-profile argon2id hash (the secrets are never used); lookup ids are unique per vendor.
//
//   npm run bench:seed -- --db /tmp/big.db [--keys 1000000]
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import argon2 from 'argon2';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { openSqlite } from '../src/db/sqlite/client.js';
import { apiKeys, tenants } from '../src/db/sqlite/schema.js';
import { argon2Options } from '../src/keys/hashing.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** The seed tenants own every seeded key; the bench uses other tenants. */
export const SEED_TENANT = 'bench-seed';

/** A lookup id in each vendor's shape, unique for each i. */
const LOOKUP: Record<string, { kind: string; id: (i: number) => string }> = {
  basic: { kind: 'read,write', id: (i) => base62(i, 8) },
  baseten: { kind: 'PERSONAL', id: (i) => base62(i, 8) },
  bytebeam: { kind: 'admin', id: (i) => i.toString(16).padStart(8, '0') },
  peaka: { kind: 'project', id: (i) => base62(i, 8) },
  imtegrate: { kind: 'test', id: (i) => `imt_test_${base62(i, 8)}` },
};

function base62(n: number, width: number): string {
  let out = '';
  do {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, '0');
}

/** `INSERT INTO <table> (<columns>) VALUES (?, …)` with the columns the drizzle schema declares. */
function insertSql(table: SQLiteTable): { sql: string; columns: string[] } {
  const config = getTableConfig(table);
  const columns = config.columns.map((c) => c.name);
  return {
    sql: `INSERT INTO "${config.name}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    columns,
  };
}

export interface SeedResult {
  keys: number;
  seconds: number;
}

export async function seedDatabase(path: string, keys: number): Promise<SeedResult> {
  const started = performance.now();
  const hash = await argon2.hash('bench-seed-secret', argon2Options('fast'));
  const { sqlite, close } = openSqlite(path);
  try {
    // Bulk-load settings for this connection only; the server reopens with its own pragmas.
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -262144');
    const tenantInsert = insertSql(tenants);
    const keyInsert = insertSql(apiKeys);
    const insertTenant = sqlite.prepare(tenantInsert.sql);
    const insertKey = sqlite.prepare(keyInsert.sql);
    const now = Date.now();
    const vendors = Object.keys(LOOKUP);
    const tenantIds = sqlite.transaction(() =>
      vendors.map((vendor) => {
        const row: Record<string, unknown> = { id: randomUUID(), vendor, name: SEED_TENANT, created_at: now };
        insertTenant.run(tenantInsert.columns.map((c) => row[c]));
        return row.id as string;
      }),
    )();
    const batch = sqlite.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const v = i % vendors.length;
        const vendor = vendors[v]!;
        const n = Math.floor(i / vendors.length);
        const row: Record<string, unknown> = {
          id: randomUUID(),
          vendor,
          tenant_id: tenantIds[v],
          project_id: null,
          name: `seed-${i}`,
          kind: LOOKUP[vendor]!.kind,
          scopes: null,
          lookup_id: LOOKUP[vendor]!.id(n),
          hash,
          created_by: 'bench-seed',
          created_at: now + i,
          expires_at: null,
          last_used_at: null,
          revoked_at: null,
        };
        insertKey.run(keyInsert.columns.map((c) => row[c] ?? null));
      }
    });
    const BATCH = 50_000;
    for (let from = 0; from < keys; from += BATCH) batch(from, Math.min(keys, from + BATCH));
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    close();
  }
  return { keys, seconds: (performance.now() - started) / 1000 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { db: { type: 'string' }, keys: { type: 'string', default: '1000000' } } });
  if (!values.db) {
    process.stderr.write('usage: npm run bench:seed -- --db PATH [--keys N]\n');
    process.exit(2);
  }
  const keys = Number(values.keys);
  if (!Number.isInteger(keys) || keys < 0) {
    process.stderr.write(`--keys must be a non-negative integer (got ${values.keys})\n`);
    process.exit(2);
  }
  const result = await seedDatabase(values.db, keys);
  process.stdout.write(`seeded ${result.keys} keys into ${values.db} in ${result.seconds.toFixed(1)} s\n`);
}

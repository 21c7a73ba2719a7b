// The drivers Drizzle supports for PostgreSQL, on the query keyforge runs most (a tenant's key
// list, prepared), 20 at a time: node-postgres through a pool, postgres.js, and node-postgres in
// pipeline mode as keyforge runs it (src/db/postgres/pipeline.ts). Measured in alternating slices
// in this one process; prints one JSON line per driver: queries/s and CPU µs per query here.
//
//   node --import tsx bench/pg-drivers.ts <database URL> <seconds> <slices>
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePostgresJs } from 'drizzle-orm/postgres-js';
import pg from 'pg';
import postgres from 'postgres';
import { Pipeline } from '../src/db/postgres/pipeline.js';
import { listKeys } from '../src/db/postgres/statements.js';
import { apiKeys, tenants } from '../src/db/postgres/schema.js';

const [url, secondsArg, slicesArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 5);
const slices = Number(slicesArg ?? 2);
const CONCURRENCY = 20;

const pool = new pg.Pool({ connectionString: url, max: 10 });
const viaPg = drizzlePg(pool);
const client = postgres(url!, { max: 10 });
const viaPostgresJs = drizzlePostgresJs(client);
const pipeline = new Pipeline({ url: url!, applicationName: 'keyforge bench' }, 2);

const [tenant] = await viaPg.select({ id: tenants.id }).from(tenants).limit(1);
if (!tenant) throw new Error('the database has no tenant: start keyforge on it first');
const listOf = (db: typeof viaPg | typeof viaPostgresJs) =>
  db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, sql.placeholder('tenantId')), isNull(apiKeys.revokedAt)))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
    .prepare('bench_list');
const drivers: Array<{ name: string; query: () => Promise<unknown> }> = [
  {
    name: 'drizzle + pg (pool of 10)',
    query: (
      (q) => () =>
        q.execute({ tenantId: tenant.id })
    )(listOf(viaPg)),
  },
  {
    name: 'drizzle + postgres.js (10 connections)',
    query: (
      (q) => () =>
        q.execute({ tenantId: tenant.id })
    )(listOf(viaPostgresJs)),
  },
  { name: 'pg pipeline, 2 connections (keyforge)', query: () => listKeys(pipeline, { tenantId: tenant.id }) },
];

const totals = drivers.map(() => ({ queries: 0, cpuMicros: 0, ms: 0 }));
for (const driver of drivers) await Promise.all(Array.from({ length: 200 }, () => driver.query())); // warm-up
for (let slice = 0; slice < slices; slice++) {
  for (const [i, driver] of drivers.entries()) {
    const deadline = performance.now() + (seconds * 1000) / slices;
    const cpu = process.cpuUsage();
    const started = performance.now();
    let queries = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          await driver.query();
          queries++;
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    totals[i]!.queries += queries;
    totals[i]!.cpuMicros += used.user + used.system;
    totals[i]!.ms += performance.now() - started;
  }
}
for (const [i, driver] of drivers.entries()) {
  const t = totals[i]!;
  process.stdout.write(
    `${JSON.stringify({ driver: driver.name, perSecond: t.queries / (t.ms / 1000), cpuMicrosPerQuery: t.cpuMicros / t.queries })}\n`,
  );
}
await Promise.all([pool.end(), client.end(), pipeline.close()]);

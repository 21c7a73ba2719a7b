// Bench settings shared by the runner's modules: quick mode, durations, sizes, the admin token
// and the vendors measured. `--quick` on the command line shortens every case; `--only` picks groups.
export const QUICK = process.argv.includes('--quick');
const argument = (flag: string) => process.argv.find((arg, i) => process.argv[i - 1] === flag);
/** `--only owasp,fast,latency,fast-path,startup,large,postgres`: run just those groups of cases (default: all). */
const ONLY = argument('--only')?.split(',');
export const runs = (group: 'owasp' | 'fast' | 'latency' | 'fast-path' | 'startup' | 'large' | 'postgres'): boolean =>
  ONLY === undefined || ONLY.includes(group);
/**
 * `--compare DIR`: another checkout of keyforge, built (`npm ci` there), whose SQLite rows are
 * measured in alternation with this build's; each such row then also reports this build against it.
 */
export const COMPARE = argument('--compare');
/** `--pg URL`: a PostgreSQL server (superuser URL) for the PostgreSQL rows; default: a throwaway one (scripts/postgres-cluster.ts). */
export const PG_URL = argument('--pg') ?? process.env.KEYFORGE_BENCH_PG;
export const CONNECTIONS = 20;
/** Seconds per throughput case. */
export const DURATION = QUICK ? 1.5 : 10;
/** Alternating slices a case and its baseline are measured in (see inAlternation); one in quick mode. */
export const SLICES = QUICK ? 1 : 4;
export const LARGE_DB_KEYS = QUICK ? 50_000 : 1_000_000;
/** The create run after which resident memory is read (started on the large database). */
export const MEMORY_RUN_SECONDS = QUICK ? 3 : 30;
export const STARTUP_RUNS = QUICK ? 2 : 5;
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';
export { VENDOR_NAMES as VENDORS, type VendorName as Vendor } from '../src/vendors/dialect.js';

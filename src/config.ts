// One zod schema for every setting. Flags override environment variables; this is the only
// module that reads process.env (callers pass it in), so tests build configs without globals.
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const HASH_PROFILES = ['owasp', 'fast'] as const;
export const AUTH_MODES = ['strict', 'any'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A decimal number as typed ("12", "-1", "1.5"); anything else (" ", "0x10", "abc") is not one. */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

const intFrom = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? (NUMBER_TEXT.test(value.trim()) ? Number(value) : Number.NaN) : value),
    z
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`),
  );

const booleanFlag = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false'])])
  .transform((v) => v === true || v === '1' || v === 'true');

export const configSchema = z.object({
  port: intFrom(0, 65535).default(4010),
  host: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  db: z
    .string()
    .min(1, 'must not be empty')
    .refine(
      (db) => !/^postgres(ql)?:/i.test(db) || isPostgresUrl(db),
      'must be a PostgreSQL URL like postgres://user:password@host:5432/database',
    )
    .default('./keyforge.db'),
  /** PostgreSQL connections per instance (SQLite uses one). */
  dbPool: intFrom(1, 1000).default(10),
  /** This instance's name in the journal; default `<hostname>-<pid>`. */
  instance: z
    .string()
    .regex(/^[\w.:@-]{1,64}$/, 'must be 1-64 letters, digits or . _ : @ -')
    .optional(),
  adminToken: z.string().min(8, 'must be at least 8 characters').optional(),
  hashProfile: z.enum(HASH_PROFILES).default('owasp'),
  seed: z.string().min(1, 'must not be empty').optional(),
  /** Demo credentials; undefined means "on when bound to loopback". */
  demo: booleanFlag.optional(),
  auth: z.enum(AUTH_MODES).default('strict'),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  bodyLimit: intFrom(1024, 64 * 1024 * 1024).default(1024 * 1024),
  journalSize: intFrom(0, 100_000).default(1000),
  /** Calls per minute per credential; 0 turns the limit off. */
  rateLimit: intFrom(0, 1_000_000).default(0),
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Flag name, environment variable and config key of each setting. */
export const SETTINGS = [
  { key: 'port', flag: 'port', env: 'PORT' },
  { key: 'host', flag: 'host', env: 'HOST' },
  { key: 'db', flag: 'db', env: 'KEYFORGE_DB' },
  { key: 'dbPool', flag: 'db-pool', env: 'KEYFORGE_DB_POOL' },
  { key: 'instance', flag: 'instance', env: 'KEYFORGE_INSTANCE' },
  { key: 'adminToken', flag: 'admin-token', env: 'KEYFORGE_ADMIN_TOKEN' },
  { key: 'hashProfile', flag: 'hash-profile', env: 'KEYFORGE_HASH_PROFILE' },
  { key: 'seed', flag: 'seed', env: 'KEYFORGE_SEED' },
  { key: 'demo', flag: 'demo', env: 'KEYFORGE_DEMO' },
  { key: 'auth', flag: 'auth', env: 'KEYFORGE_AUTH' },
  { key: 'logLevel', flag: 'log-level', env: 'LOG_LEVEL' },
  { key: 'bodyLimit', flag: 'body-limit', env: 'KEYFORGE_BODY_LIMIT' },
  { key: 'journalSize', flag: 'journal-size', env: 'KEYFORGE_JOURNAL_SIZE' },
  { key: 'rateLimit', flag: 'rate-limit', env: 'KEYFORGE_RATE_LIMIT' },
] as const;

export class ConfigError extends Error {}

export interface ParsedCommandLine {
  help: boolean;
  config: Config;
}

/** Parses flags (argv without node and script) over env. Throws ConfigError with one clear line. */
export function parseConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedCommandLine {
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    help: { type: 'boolean' },
    demo: { type: 'boolean' },
  };
  for (const s of SETTINGS) options[s.flag] ??= { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: negativeValuesJoined(argv, options),
      options,
      allowNegative: true,
      strict: true,
    }) as {
      values: Record<string, string | boolean | undefined>;
    });
  } catch (err) {
    throw new ConfigError((err as Error).message.split('\n')[0] ?? 'invalid command line');
  }
  const raw: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    // An empty variable counts as unset; an empty flag (`--port ''`) is a value the setting judges.
    const value = values[s.flag] ?? (env[s.env] === '' ? undefined : env[s.env]);
    if (value !== undefined) raw[s.key] = value;
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const setting = SETTINGS.find((s) => s.key === issue.path[0]);
    const name = setting ? `--${setting.flag} / ${setting.env}` : String(issue.path[0]);
    const got = raw[String(issue.path[0])];
    throw new ConfigError(
      `invalid ${name}: ${issue.message} (got ${JSON.stringify(typeof got === 'string' ? withoutPassword(got) : got)})`,
    );
  }
  return { help: values.help === true, config: result.data };
}

/**
 * `--port -1` as `--port=-1`: parseArgs reads a value that starts with a dash as another option
 * ("argument is ambiguous"), so a negative number after a flag that takes a value is joined to
 * it, and the setting's own rule ("must be at least 0") answers.
 */
function negativeValuesJoined(
  argv: readonly string[],
  options: Record<string, { type: 'string' | 'boolean' }>,
): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (
      arg.startsWith('--') &&
      !arg.includes('=') &&
      options[arg.slice(2)]?.type === 'string' &&
      next !== undefined &&
      /^-\d/.test(next)
    ) {
      args.push(`${arg}=${next}`);
      i++;
    } else args.push(arg);
  }
  return args;
}

/** Loopback binds get the well-known demo credentials unless told otherwise. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** A database URL as it may be printed: its password masked (a malformed one, from `user:` to `@`). */
export function withoutPassword(db: string): string {
  return db.replace(/^([a-z][\w+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** A postgres:// or postgresql:// URL with a host (or a socket directory in `?host=`) and a database name. */
function isPostgresUrl(db: string): boolean {
  try {
    const url = new URL(db);
    const database = decodeURIComponent(url.pathname.slice(1));
    return (
      /^postgres(ql)?:$/i.test(url.protocol) &&
      (url.hostname !== '' || url.searchParams.has('host')) &&
      database !== '' &&
      !database.includes('/')
    );
  } catch {
    return false;
  }
}

export function demoEnabled(config: Config): boolean {
  return config.demo ?? isLoopback(config.host);
}

export const HELP = `Usage: keyforge [options]

Serves the create-API-key endpoints of Basic, Baseten, Bytebeam, Peaka and Imtegrate.

Options (each also read from the environment variable shown; a flag wins over its variable):
  --port N               PORT                   TCP port 0-65535, 0 = any free port (default 4010)
  --host ADDR            HOST                   bind address (default 127.0.0.1)
  --db PATH|URL          KEYFORGE_DB            SQLite file, :memory:, or postgres://user:pass@host:port/db
                                                (several instances on one database; default ./keyforge.db)
  --db-pool N            KEYFORGE_DB_POOL       PostgreSQL connections per instance, 1-1000 (default 10)
  --instance NAME        KEYFORGE_INSTANCE      this instance's name in the journal (default <hostname>-<pid>)
  --admin-token T        KEYFORGE_ADMIN_TOKEN   guards /_keyforge/*, at least 8 characters (default: random, printed)
  --hash-profile P       KEYFORGE_HASH_PROFILE  owasp | fast (default owasp)
  --seed FILE            KEYFORGE_SEED          JSON file of tenants and fixed credentials
  --demo / --no-demo     KEYFORGE_DEMO=1 / 0    the well-known demo credentials (default: on when bound to loopback)
  --auth MODE            KEYFORGE_AUTH          strict | any (default strict)
  --log-level L          LOG_LEVEL              fatal|error|warn|info|debug|trace|silent (default info)
  --body-limit BYTES     KEYFORGE_BODY_LIMIT    largest accepted request body, 1024-67108864 (default 1048576)
  --journal-size N       KEYFORGE_JOURNAL_SIZE  vendor calls kept in the request journal, 0-100000 (default 1000)
  --rate-limit N         KEYFORGE_RATE_LIMIT    calls per minute per credential, 0 = off (default 0)
  --help                                        show this text

Exit status: 0 after SIGINT/SIGTERM or --help; 2 for a bad setting (one line naming it, a seed
file that cannot be read or applied included); 1 for a failure at run time (the port is in use,
the database cannot be opened or reached).
`;

// The start-up banner: where keyforge listens and a curl line per vendor, plus one for the admin
// API, each of which works when pasted into a POSIX shell — again and again, and after a restart
// on the same database (the demo credentials are fixed; a name that must be unique gets a fresh
// suffix from the shell on every run).
import type { TenantCredential } from './bootstrap/credentials.js';
import { isLoopback, withoutPassword, type Config } from './config.js';

/** Eight random hex digits, made by the shell that runs the line (od and /dev/urandom are everywhere curl is). */
const SHELL_RANDOM_SUFFIX = `$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')`;

export function banner(baseUrl: string, config: Config, adminToken: string, demo: readonly TenantCredential[]): string {
  const lines = [
    `keyforge listening on ${baseUrl}  (db ${withoutPassword(config.db)}, hash profile ${config.hashProfile}, auth ${config.auth})`,
    '',
  ];
  if (demo.length > 0) {
    lines.push('Create a key with a demo credential:');
    for (const credential of demo) lines.push(`  # ${credential.vendor}`, `  ${curlLine(baseUrl, credential)}`);
  } else {
    lines.push('Demo credentials are off; create a tenant with POST /_keyforge/tenants.');
  }
  // A generated token is shown here anyway; a configured one is not printed, so the line reads it
  // from the environment variable that configures it.
  const generated = config.adminToken === undefined;
  const token = generated
    ? shellQuote(`Authorization: Bearer ${adminToken}`)
    : `"Authorization: Bearer $KEYFORGE_ADMIN_TOKEN"`;
  lines.push(
    '',
    `Swagger UI:   ${baseUrl}/docs`,
    `Console:      ${consoleUrl(baseUrl, config, adminToken)}`,
    `Admin token:  ${generated ? `${adminToken}  (generated; set KEYFORGE_ADMIN_TOKEN to fix it)` : '(from --admin-token / KEYFORGE_ADMIN_TOKEN; the line below reads $KEYFORGE_ADMIN_TOKEN)'}`,
    `New tenant:   curl -s -X POST ${shellQuote(`${baseUrl}/_keyforge/tenants`)} -H ${token} -H 'Content-Type: application/json' -d '{"vendor":"baseten"}'`,
    '',
  );
  return lines.join('\n');
}

export function curlLine(baseUrl: string, credential: TenantCredential): string {
  const { method, path, headers, body, uniqueField } = credential.request;
  const parts = [`curl -s -X ${method} ${shellQuote(baseUrl + path)}`];
  for (const [name, value] of Object.entries(headers)) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (body !== undefined) parts.push(`-d ${bodyArgument(body, uniqueField)}`);
  return parts.join(' ');
}

/**
 * The console's URL. On loopback with a generated token (printed below anyway) the fragment
 * carries the token, which the page moves to sessionStorage; browsers never send a fragment.
 */
export function consoleUrl(baseUrl: string, config: Config, adminToken: string): string {
  const signIn =
    config.adminToken === undefined && isLoopback(config.host) ? `#token=${encodeURIComponent(adminToken)}` : '';
  return `${baseUrl}/_keyforge/ui${signIn}`;
}

/** The body as one shell word; the unique field's value ends in the shell's random suffix. */
function bodyArgument(body: unknown, uniqueField: string | undefined): string {
  if (typeof body === 'string') return shellQuote(body);
  const record = body as Record<string, unknown>;
  if (uniqueField === undefined || typeof record[uniqueField] !== 'string') return shellQuote(JSON.stringify(body));
  const marker = '\u0000unique\u0000';
  const [before, after] = JSON.stringify({
    ...record,
    [uniqueField]: `${String(record[uniqueField])}-${marker}`,
  }).split(JSON.stringify(marker).slice(1, -1));
  return `${shellQuote(before!)}"${SHELL_RANDOM_SUFFIX}"${shellQuote(after!)}`;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

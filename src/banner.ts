// The start-up banner: where keyforge listens and a curl line per vendor that works as printed.
import type { TenantCredential } from './bootstrap/credentials.js';
import { isLoopback, withoutPassword, type Config } from './config.js';

export function banner(baseUrl: string, config: Config, adminToken: string, demo: readonly TenantCredential[]): string {
  const lines = [`keyforge listening on ${baseUrl}  (db ${withoutPassword(config.db)}, hash profile ${config.hashProfile}, auth ${config.auth})`, ''];
  if (demo.length > 0) {
    lines.push('Create a key with a demo credential:');
    for (const credential of demo) lines.push(`  # ${credential.vendor}`, `  ${curlLine(baseUrl, credential)}`);
  } else {
    lines.push('Demo credentials are off; create a tenant with POST /_keyforge/tenants.');
  }
  lines.push(
    '',
    `Swagger UI:   ${baseUrl}/docs`,
    `Console:      ${consoleUrl(baseUrl, config, adminToken)}`,
    `Admin token:  ${config.adminToken === undefined ? `${adminToken}  (generated; set KEYFORGE_ADMIN_TOKEN to fix it)` : '(from --admin-token / KEYFORGE_ADMIN_TOKEN)'}`,
    `New tenant:   curl -s -X POST ${baseUrl}/_keyforge/tenants -H 'Authorization: Bearer <admin token>' -H 'Content-Type: application/json' -d '{"vendor":"baseten"}'`,
    '',
  );
  return lines.join('\n');
}

export function curlLine(baseUrl: string, credential: TenantCredential): string {
  const { method, path, headers, body } = credential.request;
  const parts = [`curl -s -X ${method} ${shellQuote(baseUrl + path)}`];
  for (const [name, value] of Object.entries(headers)) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (body !== undefined) parts.push(`-d ${shellQuote(typeof body === 'string' ? body : JSON.stringify(body))}`);
  return parts.join(' ');
}

/**
 * The console's URL. On loopback with a generated token (printed below anyway) the fragment
 * carries the token, which the page moves to sessionStorage; browsers never send a fragment.
 */
export function consoleUrl(baseUrl: string, config: Config, adminToken: string): string {
  const signIn = config.adminToken === undefined && isLoopback(config.host) ? `#token=${encodeURIComponent(adminToken)}` : '';
  return `${baseUrl}/_keyforge/ui${signIn}`;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

// "Copy as curl": the journaled call as a command that sends it again. The journal redacted the
// secret, so the command carries a placeholder where it was.
import type { JournalEntry } from './types.js';

export const SECRET_PLACEHOLDER = '<secret>';

/** Headers curl sets itself or that describe one connection, not the call. */
const LEFT_OUT = new Set([
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
  'accept-encoding',
  'keep-alive',
]);

export function curlCommand(entry: JournalEntry, origin: string): string {
  const parts = [`curl -sS -X ${entry.method} ${shellQuote(origin + entry.path)}`];
  for (const [name, value] of Object.entries(entry.request.headers)) {
    if (LEFT_OUT.has(name)) continue;
    parts.push(`-H ${shellQuote(`${name}: ${value.replaceAll('[redacted]', SECRET_PLACEHOLDER)}`)}`);
  }
  const body = entry.request.body;
  const type = entry.request.headers['content-type']?.split(';')[0]?.trim();
  if (body !== null && /^\[\d+ bytes of /.test(body)) parts.push(`# the ${body.slice(1, -1)} body was not recorded`);
  else if (body !== null && type === 'application/transit+msgpack')
    parts.push(`--data-binary @body.msgpack  # msgpack: encode the decoded body shown above`);
  else if (body !== null) parts.push(`--data-raw ${shellQuote(body)}`);
  return parts.join(' \\\n  ');
}

export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

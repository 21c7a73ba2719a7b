// Parsing of `Authorization: <scheme> <credential>` headers, shared by the Bearer/Api-Key vendors.

/** The credential after one of the accepted schemes (case-insensitive), or null. */
export function credentialFromAuthorization(
  header: string | string[] | undefined,
  schemes: readonly string[],
): string | null {
  if (typeof header !== 'string') return null;
  const match = /^([A-Za-z][A-Za-z0-9-]*) +(\S+) *$/.exec(header);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  return schemes.some((s) => s.toLowerCase() === scheme) ? match[2]! : null;
}

/** A single header value, or null when absent or repeated. */
export function singleHeader(value: string | string[] | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

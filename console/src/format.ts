// How values read on screen: times, latencies, status classes and bodies by media type.

export function clockTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function dateTime(iso: string | null): string {
  if (iso === null) return '—';
  const d = new Date(iso);
  return `${d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })} ${clockTime(iso).slice(0, 8)}`;
}

export function latency(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';
export const STATUS_CLASSES: StatusClass[] = ['2xx', '3xx', '4xx', '5xx'];

export function statusClass(status: number): StatusClass {
  return `${Math.min(5, Math.max(2, Math.floor(status / 100)))}xx` as StatusClass;
}

/** The media type without parameters, lower case; null when none was sent. */
export function mediaType(contentType: string | null | undefined): string | null {
  return contentType ? contentType.split(';')[0]!.trim().toLowerCase() : null;
}

/** What the journal did to show a body of this type (transit+msgpack is binary: it is shown decoded). */
export function bodyNote(type: string | null): string | null {
  if (type === 'application/transit+msgpack') return 'binary msgpack, shown decoded as its transit+json text';
  if (type === 'application/transit+json') return 'transit, in its JSON encoding';
  if (type === 'application/edn') return 'EDN text';
  return null;
}

/** A body for reading: JSON-based types indented, anything else as recorded. */
export function readableBody(body: string, type: string | null): string {
  const jsonBased = type !== null && /^application\/(json|transit\+json|transit\+msgpack|[\w.+-]*\+json)$/.test(type);
  if (!jsonBased || /^\[\d+ bytes of /.test(body)) return body;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** A clock offset as a person reads it: `+2h 0m`, `−3d 4h`, `+45s`. */
export function offset(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  let rest = Math.round(Math.abs(ms) / 1000);
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  if (days > 0) return `${sign}${days}d ${hours}h`;
  if (hours > 0) return `${sign}${hours}h ${minutes}m`;
  if (minutes > 0) return `${sign}${minutes}m ${seconds}s`;
  return `${sign}${seconds}s`;
}

/** A path that may break after a slash, a question mark or an ampersand, never inside a word. */
export function pathParts(path: string): string[] {
  return path.split(/(?<=[/?&])/);
}

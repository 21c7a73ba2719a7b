// How Starlette's Router picks what answers a request, so the FastAPI vendors route every URL
// the way uvicorn + Starlette would, not the way Fastify's router does. uvicorn hands Starlette
// the percent-decoded path (`unquote`, invalid escapes kept as text); each route is a regex on
// it, a `{param}` being `[^/]+` — at least one character, never a slash, so
// `/v1/api_keys/` and `/v1/api-keys//revoke` match no route, and neither does a `%2F` inside
// a parameter. The first route whose path and method match serves (Match.FULL); else the first
// whose path matches answers 405 (Match.PARTIAL); else `redirect_slashes` retries the path
// without its trailing slashes (or with one) and answers 307 to it when any route's path
// matches; else 404. (starlette/routing.py: compile_path, Route.matches, Router.app.)

export type StarletteMatch =
  | { kind: 'full'; params: Record<string, string> }
  | { kind: 'partial'; allow: readonly string[] }
  | { kind: 'redirect'; path: string }
  | { kind: 'none' };

interface CompiledRoute {
  pattern: RegExp;
  names: string[];
  methods: readonly string[];
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Python's urllib.parse.unquote: valid %XX runs decode as UTF-8 with U+FFFD for bad bytes; any other `%` stays. */
export function pythonUnquote(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => utf8.decode(Buffer.from(run.replace(/%/g, ''), 'hex')));
}

const isUtf8 = (run: string): boolean => {
  try {
    decodeURIComponent(run);
    return true;
  } catch {
    return false;
  }
};

/**
 * The URL with each percent-escape that Fastify's router cannot decode — a `%` without two hex
 * digits, a run of escapes that is not UTF-8 — written as the text Python's unquote makes of it,
 * escaped again: so Fastify routes and decodes to the same text Starlette does, where it would
 * otherwise refuse the URL (`/v1/api_keys/%zz` names the key `%zz` to Starlette). The query
 * is left alone.
 */
export function starletteSafeUrl(url: string): string {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  const fixed = path
    .replace(/%(?![0-9A-Fa-f]{2})/g, '%25')
    .replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => (isUtf8(run) ? run : encodeURIComponent(pythonUnquote(run))));
  return at < 0 ? fixed : fixed + url.slice(at);
}

/** Python's urllib.parse.quote with RedirectResponse's safe characters. */
export function pythonQuoteLocation(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const ch = String.fromCharCode(byte);
      return /[A-Za-z0-9_.\-~:/%#?=@[\]!$&'()*+,;]/.test(ch)
        ? ch
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

export class StarletteRouter {
  private readonly routes: CompiledRoute[];

  /** `paths` maps each path (Fastify's `:param` syntax) to its routes' methods, in declaration order. */
  constructor(paths: Record<string, readonly string[]>) {
    this.routes = Object.entries(paths).map(([path, methods]) => {
      const names: string[] = [];
      const source = path
        .split(/(:\w+)/)
        .map((part) => (part.startsWith(':') ? (names.push(part.slice(1)), '([^/]+)') : escapeRegex(part)))
        .join('');
      return { pattern: new RegExp(`^${source}$`), names, methods: methods.map((m) => m.toUpperCase()) };
    });
  }

  /** What Starlette does with `method` on `rawPath` (the path as sent, relative to the app, without its query). */
  match(method: string, rawPath: string): StarletteMatch {
    const path = pythonUnquote(rawPath);
    let partial: readonly string[] | undefined;
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      // Each declared method is its own FastAPI route: a partial match names the path's first.
      if (route.methods.includes(method))
        return { kind: 'full', params: Object.fromEntries(route.names.map((name, i) => [name, found[i + 1]!])) };
      partial ??= route.methods.slice(0, 1);
    }
    if (partial) return { kind: 'partial', allow: partial };
    if (path !== '/') {
      const retried = path.endsWith('/') ? path.replace(/\/+$/, '') : `${path}/`;
      if (this.routes.some((route) => route.pattern.test(retried))) return { kind: 'redirect', path: retried };
    }
    return { kind: 'none' };
  }
}

/**
 * The Location of Starlette's redirect: `URL(scope=…)` — scheme, the Host header, the decoded
 * path, the query unless empty — quoted as RedirectResponse quotes it.
 */
export function redirectLocation(protocol: string, host: string, path: string, query: string | undefined): string {
  return pythonQuoteLocation(`${protocol}://${host}${path}${query ? `?${query}` : ''}`);
}

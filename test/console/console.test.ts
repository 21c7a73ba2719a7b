// The console page as keyforge serves it: static files from the build, no token needed for the
// page itself (it holds none), a strict CSP, compressed, cached by ETag, and light. The banner
// prints its URL, carrying a generated token in the fragment on loopback only.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { banner, consoleUrl } from '../../src/banner.js';
import { configSchema } from '../../src/config.js';
import { CONSOLE_CSP } from '../../src/console/index.js';
import { CONSOLE_FILES } from '../../src/console/assets.js';
import { useTestApp } from '../helper.js';

describe('GET /_keyforge/ui', () => {
  const app = useTestApp();
  const get = (url: string, headers: Record<string, string> = {}) => app().inject({ method: 'GET', url, headers });

  it('serves the page without the admin token, under a strict Content-Security-Policy', async () => {
    for (const url of ['/_keyforge/ui', '/_keyforge/ui/']) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.body).toContain('<script defer src="/_keyforge/ui/console.js"></script>');
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("style-src 'self'");
    expect(CONSOLE_CSP).toContain("default-src 'none'");
    expect(CONSOLE_CSP).not.toContain('unsafe');
  });

  it('has no inline script or style and loads nothing from another origin', async () => {
    const html = (await get('/_keyforge/ui')).body;
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([
      '<script defer src="/_keyforge/ui/console.js">',
    ]);
    expect(html).not.toMatch(/<style|\sstyle=|\son\w+=/i);
    for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(url).toMatch(/^\/_keyforge\/ui\//);
    const script = (await get('/_keyforge/ui/console.js')).body;
    expect(script).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // SVG/MathML namespace URIs are names, not loads
  });

  it('serves each built file with its type, gzipped when asked, and 304 for a current ETag', async () => {
    for (const name of CONSOLE_FILES) {
      const plain = await get(`/_keyforge/ui/${name}`);
      expect(plain.statusCode, name).toBe(200);
      const zipped = await get(`/_keyforge/ui/${name}`, { 'accept-encoding': 'gzip, br' });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(zipped.rawPayload).toString()).toBe(plain.body);
      const again = await get(`/_keyforge/ui/${name}`, { 'if-none-match': String(plain.headers.etag) });
      expect(again.statusCode).toBe(304);
    }
    expect((await get('/_keyforge/ui/console.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('weighs well under 200 KB gzipped, all files together', async () => {
    let total = 0;
    for (const name of CONSOLE_FILES)
      total += (await get(`/_keyforge/ui/${name}`, { 'accept-encoding': 'gzip' })).rawPayload.length;
    expect(total).toBeLessThan(50 * 1024);
  });

  it('answers 404 for any other file, never reading outside the build', async () => {
    for (const url of ['/_keyforge/ui/nope.js', '/_keyforge/ui/..%2F..%2Fpackage.json', '/_keyforge/ui/%2e%2e']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject({ error: 'Not Found' });
    }
  });
});

describe('the banner’s console line', () => {
  const config = (input: Record<string, unknown>) => configSchema.parse({ db: ':memory:', ...input });

  it('carries a generated token in the fragment on loopback, so the link signs in', () => {
    expect(consoleUrl('http://127.0.0.1:4010', config({}), 'tok/en+1')).toBe(
      'http://127.0.0.1:4010/_keyforge/ui#token=tok%2Fen%2B1',
    );
    expect(banner('http://127.0.0.1:4010', config({}), 'generated', [])).toContain(
      'Console:      http://127.0.0.1:4010/_keyforge/ui#token=generated',
    );
  });

  it('carries no token when it was given (it is not printed then) or keyforge listens beyond loopback', () => {
    expect(consoleUrl('http://127.0.0.1:4010', config({ adminToken: 'fixed-token-123' }), 'fixed-token-123')).toBe(
      'http://127.0.0.1:4010/_keyforge/ui',
    );
    expect(consoleUrl('http://0.0.0.0:4010', config({ host: '0.0.0.0' }), 'generated')).toBe(
      'http://0.0.0.0:4010/_keyforge/ui',
    );
  });
});

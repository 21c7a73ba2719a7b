// Baseten and Imtegrate route URLs as Starlette does (src/vendors/common/starlette-router.ts),
// as the differential replay against stock FastAPI showed: a path parameter needs at least one
// character and never holds a slash (matched on the decoded path), and a path no route matches
// is redirected with 307 when it matches without its trailing slashes.
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helper.js';

const app = useTestApp();
const BASETEN = { authorization: 'Api-Key kfdemo01.BasetenDemoKey000000000000000000', host: 'api.example.test' };
const IMTEGRATE = {
  authorization: 'Bearer imt_test_kfdemo05_ImtegrateDemoToken00000000000000',
  host: 'api.example.test',
};
const send = (method: string, url: string, headers: Record<string, string>) =>
  app().inject({ method: method as 'GET', url, headers });

describe('Baseten routes as Starlette', () => {
  it.each(['POST', 'DELETE', 'GET', 'PUT'])(
    'redirects %s /v1/api_keys/ to /v1/api_keys (no route takes an empty prefix)',
    async (method) => {
      for (const mount of ['', '/baseten']) {
        const res = await send(method, `${mount}/v1/api_keys/`, BASETEN);
        expect(res.statusCode, `${method} ${mount}`).toBe(307);
        expect(res.headers.location).toBe(`http://api.example.test${mount}/v1/api_keys`);
        expect(res.headers['content-type']).toBeUndefined();
        expect(res.body).toBe('');
      }
    },
  );

  it('redirects a key path with trailing slashes to the decoded path, quoted as RedirectResponse quotes it, without an empty query', async () => {
    const res = await send('DELETE', '/v1/api_keys/%41b%20c//?', BASETEN);
    expect(res.statusCode).toBe(307);
    expect(res.headers.location).toBe('http://api.example.test/v1/api_keys/Ab%20c');
  });

  it('answers 404 Not Found, not a lookup, when the prefix holds an encoded slash', async () => {
    const res = await send('DELETE', '/v1/api_keys/a%2Fb', BASETEN);
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe('{"detail":"Not Found"}');
  });

  it('still serves the prefix Starlette decodes', async () => {
    const res = await send('DELETE', '/v1/api_keys/%6Bfdemo0x', BASETEN);
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe('{"detail":"API key not found."}');
  });
});

describe('Imtegrate routes as Starlette', () => {
  it.each(['POST', 'GET'])(
    'answers %s /v1/api-keys//revoke 404 Not Found: an empty id matches no route',
    async (method) => {
      for (const mount of ['', '/imtegrate']) {
        const res = await send(method, `${mount}/v1/api-keys//revoke`, IMTEGRATE);
        expect(res.statusCode).toBe(404);
        expect(res.headers['content-type']).toBe('application/json');
        expect(res.body).toBe('{"detail":"Not Found"}');
      }
    },
  );

  it('answers an id holding an encoded slash 404, before authentication', async () => {
    const res = await send('POST', '/v1/api-keys/a%2Fb/revoke', {});
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe('{"detail":"Not Found"}');
  });

  it('redirects /v1/api-keys/{id}/revoke/ to the path without the slash', async () => {
    const res = await send('POST', '/imtegrate/v1/api-keys/abc/revoke///?a=1', IMTEGRATE);
    expect(res.statusCode).toBe(307);
    expect(res.headers.location).toBe('http://api.example.test/imtegrate/v1/api-keys/abc/revoke?a=1');
  });
});

describe('percent-escapes as Python’s unquote reads them', () => {
  it('serves a key path whose escape Fastify’s router cannot decode, as Starlette does', async () => {
    const anonymous = await send('DELETE', '/v1/api_keys/%zz', {});
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).toBe('{"detail":"Authentication credentials were not provided."}');
    const demo = await send('DELETE', '/baseten/v1/api_keys/%zz', BASETEN);
    expect(demo.body).toBe('{"detail":"API key not found."}');
  });

  it('reads bytes that are not UTF-8 as U+FFFD, and a bare % as itself', async () => {
    const bad = await send('POST', '/v1/api-keys/%E2%82/revoke', IMTEGRATE);
    expect(bad.body).toBe(
      '{"detail":[{"type":"uuid_parsing","loc":["path","id"],"msg":"Input should be a valid UUID, invalid character: found `\ufffd` at 1","input":"\ufffd","ctx":{"error":"invalid character: found `\ufffd` at 1"}}]}',
    );
    const bare = await send('POST', '/v1/api-keys/a%zz/revoke', IMTEGRATE);
    expect(bare.json().detail[0].input).toBe('a%zz');
  });
});

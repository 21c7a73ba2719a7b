// Other methods on a known path, HEAD and OPTIONS, answered as each vendor's framework answers
// them (docs/vendors/<vendor>.md says why, from the frameworks' source): Fastify (Basic),
// FastAPI/Starlette (Baseten, Imtegrate), reitit-ring (Bytebeam), Spring MVC on Tomcat (Peaka).
import { describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { DIALECTS } from '../../src/vendors/index.js';
import { useTestApp } from '../helper.js';

const app = useTestApp();
const demo = Object.fromEntries(DIALECTS.map((d) => [d.name, d.createKeyRequest(d.demo)]));
/** The demo credential's headers, without the Content-Type of the create call. */
const auth = (vendor: string) =>
  Object.fromEntries(Object.entries(demo[vendor]!.headers).filter(([name]) => name.toLowerCase() !== 'content-type'));
const send = (method: string, url: string, headers: Record<string, string> = {}, payload?: string) =>
  app().inject({
    method: method as InjectOptions['method'],
    url,
    headers,
    ...(payload === undefined ? {} : { payload }),
  });

/** Both mounts of a path. */
const MOUNTS = (vendor: string, path: string) => [path, `/${vendor}${path}`];

describe('Basic (Fastify): no route, no answer but 404; HEAD comes with GET', () => {
  const path = demo.basic!.path;
  it.each(['PUT', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND'])(
    'answers %s with Fastify’s 404 in Basic’s shape',
    async (method) => {
      for (const url of MOUNTS('basic', path)) {
        const res = await send(method, url, auth('basic'));
        expect(res.statusCode).toBe(404);
        expect(res.json()).toEqual({ error: 'Not Found', message: `Route ${method}:${url} not found` });
        expect(res.headers.allow).toBeUndefined();
      }
    },
  );

  it('answers HEAD on a GET route like the GET, without a body', async () => {
    const get = await send('GET', path, auth('basic'));
    const head = await send('HEAD', path, auth('basic'));
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.body).toBe('');
  });
});

describe.each(['baseten', 'imtegrate'])(
  '%s (FastAPI): 405 naming the first route of the path, before auth',
  (vendor) => {
    const path = demo[vendor]!.path;
    it.each(['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'HEAD', 'PURGE'])(
      'answers %s with 405 {"detail":"Method Not Allowed"} and Allow: POST',
      async (method) => {
        for (const url of MOUNTS(vendor, path)) {
          for (const headers of [auth(vendor), {}]) {
            const res = await send(
              method,
              url,
              { ...headers, 'content-type': 'application/json' },
              method === 'HEAD' || method === 'TRACE' ? undefined : '{garbled',
            );
            expect(res.statusCode, `${method} ${url}`).toBe(405);
            expect(res.headers.allow).toBe('POST');
            expect(res.headers['content-type']).toBe('application/json');
            expect(res.body).toBe(method === 'HEAD' ? '' : '{"detail":"Method Not Allowed"}');
          }
        }
      },
    );

    it('answers an unknown path 404 without a charset, at both mounts', async () => {
      for (const url of [`${path}/nowhere/else`, `/${vendor}/nowhere`]) {
        const res = await send('PUT', url);
        expect(res.statusCode).toBe(404);
        expect(res.headers['content-type']).toBe('application/json');
        expect(res.body).toBe('{"detail":"Not Found"}');
      }
    });
  },
);

describe('Bytebeam (reitit-ring): default OPTIONS endpoint behind the middleware, default 405 in front of it', () => {
  const path = demo.bytebeam!.path;
  it.each(['PUT', 'PATCH', 'HEAD', 'TRACE', 'LINK'])(
    'answers %s 405 with no body and no headers of its own, whatever the credential',
    async (method) => {
      for (const url of [...MOUNTS('bytebeam', path), `${path}/some-name`]) {
        for (const headers of [auth('bytebeam'), {}]) {
          const res = await send(method, url, headers);
          expect(res.statusCode, `${method} ${url}`).toBe(405);
          expect(res.body).toBe('');
          expect(res.headers['content-type']).toBeUndefined();
          expect(res.headers.allow).toBeUndefined();
        }
      }
    },
  );

  it('answers OPTIONS 200 with Allow in reitit’s order, no body, after the credential checks', async () => {
    const collection = await send('OPTIONS', path, auth('bytebeam'));
    expect(collection.statusCode).toBe(200);
    expect(collection.headers.allow).toBe('GET,POST,OPTIONS');
    expect(collection.body).toBe('');
    expect(collection.headers['content-type']).toBeUndefined();
    const item = await send('OPTIONS', `/bytebeam${path}/ci`, auth('bytebeam'));
    expect(item.headers.allow).toBe('DELETE,OPTIONS');
    const anonymous = await send('OPTIONS', path);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ error: 'Unauthorized' });
  });
});

describe('Peaka (Spring MVC on Tomcat): 405 and OPTIONS after Spring Security, TRACE refused by Tomcat', () => {
  const path = demo.peaka!.path;
  const item = `${path}/21fd1a8d-88d5-4295-b792-5b2113138057`;
  const springBody = (res: { json(): unknown }, message: string, url: string) =>
    expect(res.json()).toEqual({
      timestamp: expect.any(String),
      status: 405,
      error: 'Method Not Allowed',
      message,
      path: url,
    });

  it.each([
    ['PUT', path, 'POST, GET'],
    ['PATCH', path, 'POST, GET'],
    ['DELETE', path, 'POST, GET'],
    ['GET', item, 'DELETE'],
    ['HEAD', item, 'DELETE'],
    ['SEARCH', item, 'DELETE'],
  ])('answers %s %s 405 with Allow: %s and Spring’s body, after authentication', async (method, url, allow) => {
    const res = await send(method, url, auth('peaka'));
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe(allow);
    if (method !== 'HEAD') springBody(res, `Method '${method}' is not supported.`, url);
    expect((await send(method, url)).statusCode).toBe(401);
  });

  it('answers OPTIONS 200 with the declared methods (HEAD after GET, then OPTIONS) and no body', async () => {
    for (const url of MOUNTS('peaka', path)) {
      const res = await send('OPTIONS', url, auth('peaka'));
      expect(res.statusCode).toBe(200);
      expect(res.headers.allow).toBe('POST,GET,HEAD,OPTIONS');
      expect(res.headers['accept-patch']).toBe('');
      expect(res.body).toBe('');
    }
    expect((await send('OPTIONS', item, auth('peaka'))).headers.allow).toBe('DELETE,OPTIONS');
    expect((await send('OPTIONS', path)).statusCode).toBe(401);
  });

  it('answers HEAD on a GET mapping like the GET', async () => {
    const res = await send('HEAD', path, auth('peaka'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
  });

  it('refuses TRACE on any Peaka path before authentication, with Tomcat’s Allow', async () => {
    for (const url of [path, `/peaka${item}`, '/peaka/anything/else']) {
      const res = await send('TRACE', url);
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('HEAD, DELETE, POST, GET, OPTIONS, PUT');
      springBody(res, 'TRACE method is not allowed', url);
    }
  });
});

/** Sanity: the methods keyforge routes are the ones Node passes on. */
it('routes every method Node parses but CONNECT', async () => {
  const a: FastifyInstance = app();
  expect(a.supportedMethods).toEqual(expect.arrayContaining(['PROPFIND', 'PURGE', 'LINK', 'SEARCH', 'QUERY', 'TRACE']));
  expect(a.supportedMethods).not.toContain('CONNECT');
});

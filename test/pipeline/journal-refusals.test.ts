// The journal records refused calls as fully as accepted ones: the (redacted, bounded) body the
// client sent, even when the call was refused before any parser read it, and which check
// refused it. Over app.inject() and over real HTTP (a body that never arrives must not hang).
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { adminHeaders, buildTestApp, useTestApp } from '../helper.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';

const BASETEN_DEMO = 'Api-Key kfdemo01.BasetenDemoKey000000000000000000';
const UNKNOWN_KEY = 'Api-Key abcdefgh.abcdefghijklmnopqrstuvwxyz012345';
// Basic authenticates before its body is read (an onRequest hook); Baseten, like FastAPI, reads a body first.
const BASIC_KEYS = '/project/0d3e5b1a-7c44-4f0e-9b2a-5a51c0de0001/key';
const BASIC_UNKNOWN_KEY = `Bearer bsk_${'z'.repeat(40)}`;

interface Entry {
  method: string;
  path: string;
  status: number;
  refusal: string | null;
  request: { body: string | null };
}

async function lastEntry(app: FastifyInstance): Promise<Entry> {
  const res = await app.inject({ url: '/_keyforge/requests?limit=1', headers: adminHeaders });
  return (res.json() as { requests: Entry[] }).requests[0]!;
}

describe('journal entries of refused calls', () => {
  const app = useTestApp({ rateLimit: 0 });
  const call = async (options: InjectOptions) => {
    const res = await app().inject(options);
    return { res, entry: await lastEntry(app()) };
  };

  it('keeps the body of a call refused before its body was read, redacted, and says authentication refused it', async () => {
    const body = JSON.stringify({ name: 'ci', type: 'PERSONAL', note: 'kfdemo01.BasetenDemoKey000000000000000000' });
    const { res, entry } = await call({
      method: 'POST',
      url: '/v1/api_keys',
      headers: { authorization: UNKNOWN_KEY, 'content-type': 'application/json' },
      payload: body,
    });
    expect(res.statusCode).toBe(401);
    expect(entry).toMatchObject({ status: 401, refusal: 'authentication' });
    expect(entry.request.body).toBe('{"name":"ci","type":"PERSONAL","note":"[redacted]"}');
  });

  it.each([
    [
      'Peaka authentication',
      {
        method: 'POST',
        url: '/api/v1/projects/DemoPrj1/apiKeys',
        headers: { authorization: 'Bearer nope0000.nope0000nope0000nope0000nope0000' },
      },
      401,
      'authentication',
    ],
    [
      'validation',
      {
        method: 'POST',
        url: '/v1/api_keys',
        headers: { authorization: BASETEN_DEMO, 'content-type': 'application/json' },
        payload: '{"type":"ADMIN"}',
      },
      422,
      'validation',
    ],
    [
      'body',
      {
        method: 'POST',
        url: '/v1/api_keys',
        headers: { authorization: BASETEN_DEMO, 'content-type': 'application/json' },
        payload: '{"type":',
      },
      422,
      'body',
    ],
    [
      'media type',
      {
        method: 'POST',
        url: '/project/0d3e5b1a-7c44-4f0e-9b2a-5a51c0de0001/key',
        headers: {
          authorization: 'Bearer bsk_kfdemo03BasicDemoKey00000000000000000000',
          'content-type': 'application/xml',
        },
        payload: '<label/>',
      },
      415,
      'media type',
    ],
    [
      'method',
      { method: 'PUT', url: '/v1/api-keys', headers: { 'content-type': 'application/json' }, payload: '{"name":"x"}' },
      405,
      'method',
    ],
    [
      'not found',
      { method: 'DELETE', url: '/v1/api_keys/zzzzzzzz', headers: { authorization: BASETEN_DEMO } },
      404,
      'not found',
    ],
    [
      'not acceptable',
      {
        method: 'GET',
        url: '/api/v1/projects/DemoPrj1/apiKeys',
        headers: { authorization: 'Bearer kfdemo02.PeakaDemoPartnerKey0000000000000', accept: 'text/html' },
      },
      406,
      'not acceptable',
    ],
  ] as const)('names the check for a %s refusal', async (_what, options, status, refusal) => {
    const { res, entry } = await call(options as InjectOptions);
    expect(res.statusCode).toBe(status);
    expect(entry).toMatchObject({ status, refusal });
    // Read even where no parser ran; a type the journal does not show as text is described by its size.
    if ('payload' in options)
      expect(entry.request.body).toBe(status === 415 ? '[8 bytes of application/xml]' : options.payload);
  });

  it('names a permission refusal, and none for a success', async () => {
    const created = await app().inject({
      method: 'POST',
      url: '/v1/api_keys',
      headers: { authorization: BASETEN_DEMO },
      payload: { type: 'WORKSPACE_INVOKE' },
    });
    expect((await lastEntry(app())).refusal).toBeNull();
    const invoke = `Api-Key ${created.json().api_key as string}`;
    const { res, entry } = await call({ method: 'GET', url: '/v1/api_keys', headers: { authorization: invoke } });
    expect(res.statusCode).toBe(403);
    expect(entry.refusal).toBe('permission');
  });

  it('names injected faults', async () => {
    await app().inject({
      method: 'PUT',
      url: '/_keyforge/faults',
      headers: adminHeaders,
      payload: { vendor: 'baseten', status: 503, count: 1 },
    });
    const { res, entry } = await call({
      method: 'POST',
      url: '/v1/api_keys',
      headers: { authorization: BASETEN_DEMO },
      payload: { type: 'PERSONAL' },
    });
    expect(res.statusCode).toBe(503);
    expect(entry).toMatchObject({ refusal: 'fault', request: { body: '{"type":"PERSONAL"}' } });
  });

  it('keeps at most 64 KiB of an unread body and still answers', async () => {
    const big = `{"name":"${'x'.repeat(200 * 1024)}"}`;
    const { res, entry } = await call({
      method: 'POST',
      url: '/v1/api_keys',
      headers: { authorization: UNKNOWN_KEY, 'content-type': 'application/json' },
      payload: big,
    });
    expect(res.statusCode).toBe(401);
    expect(entry.request.body!.length).toBeLessThan(64 * 1024 + 100);
    expect(entry.request.body).toMatch(/^\{"name":"x+…\[\d+ more bytes\]$/);
  });
});

describe('journal entries over real HTTP', () => {
  /** Listens on a loopback port and answers it. */
  const listenOnLoopback = async (app: FastifyInstance): Promise<number> => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    return (app.server.address() as AddressInfo).port;
  };

  it('answers a refused call whose body never arrives, and journals what did, without hanging', async () => {
    const app = await buildTestApp();
    try {
      const port = await listenOnLoopback(app);
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      const started = Date.now();
      socket.write(
        `POST ${BASIC_KEYS} HTTP/1.1\r\nHost: x\r\nAuthorization: ${BASIC_UNKNOWN_KEY}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"par`,
      );
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => answer.includes('\r\n\r\n') && (clearInterval(poll), resolve()), 20);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(Date.now() - started).toBeLessThan(5000);
      socket.destroy();
      const entry = await lastEntry(app);
      expect(entry).toMatchObject({ status: 401, refusal: 'authentication' });
      expect(entry.request.body).toBe('{"name":"par…[88 more bytes did not arrive within 1000 ms]');
    } finally {
      await app.close();
    }
  });

  it('journals the body of a refused call that arrived with its headers, and the connection goes on', async () => {
    const app = await buildTestApp();
    try {
      const url = `http://127.0.0.1:${await listenOnLoopback(app)}/v1/api_keys`;
      const refused = await fetch(url, {
        method: 'POST',
        headers: { authorization: UNKNOWN_KEY, 'content-type': 'application/json' },
        body: '{"name":"small","type":"PERSONAL"}',
      });
      expect(refused.status).toBe(401);
      await refused.text();
      expect(await lastEntry(app)).toMatchObject({
        status: 401,
        refusal: 'authentication',
        request: { body: '{"name":"small","type":"PERSONAL"}' },
      });
      const created = await fetch(url, {
        method: 'POST',
        headers: { authorization: BASETEN_DEMO, 'content-type': 'application/json' },
        body: '{"type":"PERSONAL"}',
      });
      expect(created.status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('keeps a kept-alive connection usable after a refused call with a large body', async () => {
    const app = await buildTestApp();
    try {
      const url = `http://127.0.0.1:${await listenOnLoopback(app)}/v1/api_keys`;
      const refused = await fetch(url, {
        method: 'POST',
        headers: { authorization: UNKNOWN_KEY, 'content-type': 'application/json' },
        body: `{"name":"${'y'.repeat(300_000)}"}`,
      });
      expect(refused.status).toBe(401);
      await refused.text();
      const created = await fetch(url, {
        method: 'POST',
        headers: { authorization: BASETEN_DEMO, 'content-type': 'application/json' },
        body: '{"type":"PERSONAL"}',
      });
      expect(created.status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describeWithPostgres('journal entries on PostgreSQL', () => {
  it('keep the refusal and the unread body in the shared journal table', async () => {
    const app = await buildTestApp({ db: await freshDatabase() });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/api_keys',
        headers: { authorization: UNKNOWN_KEY, 'content-type': 'application/json' },
        payload: '{"type":"PERSONAL"}',
      });
      expect(res.statusCode).toBe(401);
      expect(await lastEntry(app)).toMatchObject({
        status: 401,
        refusal: 'authentication',
        request: { body: '{"type":"PERSONAL"}' },
      });
    } finally {
      await app.close();
    }
  });

  it('keep a body holding NUL, which PostgreSQL text cannot hold, exactly as sent (and U+FFFF, its escape)', async () => {
    const app = await buildTestApp({ db: await freshDatabase() });
    try {
      const body = '{"name":"a\u0000b","note":"\\u0000 stays","esc":"\uffff0\uffff"}';
      const res = await app.inject({
        method: 'POST',
        url: BASIC_KEYS,
        headers: { authorization: BASIC_UNKNOWN_KEY, 'content-type': 'application/json' },
        payload: `${body}\u0000`,
      });
      expect(res.statusCode).toBe(401);
      expect((await lastEntry(app)).request.body).toBe(`${body}\u0000`);
    } finally {
      await app.close();
    }
  });
});

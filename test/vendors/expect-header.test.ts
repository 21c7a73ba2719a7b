// An `Expect` other than 100-continue, over real HTTP (Node's server, not app.inject()): uvicorn
// ignores it, so Baseten and Imtegrate serve the call; Node answers 417 by itself, which is what
// a Fastify service such as Basic answers (issue 24, item 6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helper.js';
import { RawHttpClient } from '../differential/raw-http.js';
import { listening, type Side } from '../differential/references.js';

let app: FastifyInstance;
let side: Side;
let client: RawHttpClient;
beforeAll(async () => {
  app = await buildTestApp();
  side = await listening(app);
  client = new RawHttpClient(side.port);
});
afterAll(async () => {
  client.close();
  await side.close();
});

const post = (target: string, authorization: string, body: string, expectation: string) =>
  client.send({
    method: 'POST',
    target,
    headers: [
      ['Host', 'x'],
      ['Authorization', authorization],
      ['Content-Type', 'application/json'],
      ['Content-Length', String(Buffer.byteLength(body))],
      ['Expect', expectation],
    ],
    body: Buffer.from(body),
  });

describe('an Expect header other than 100-continue', () => {
  it.each(['foo', '200-ok'])('is ignored by Baseten and Imtegrate (uvicorn): Expect: %s', async (expectation) => {
    const baseten = await post(
      '/v1/api_keys',
      'Api-Key kfdemo01.BasetenDemoKey000000000000000000',
      '{"type":"PERSONAL"}',
      expectation,
    );
    expect(baseten.status).toBe(200);
    expect(JSON.parse(baseten.body.toString())).toHaveProperty('api_key');
    const imtegrate = await post(
      '/imtegrate/v1/api-keys',
      'Bearer imt_test_kfdemo05_ImtegrateDemoToken00000000000000',
      '{"name":"ci"}',
      expectation,
    );
    expect(imtegrate.status).toBe(201);
  });

  it('gets Node’s 417 from Basic, as stock Fastify answers it', async () => {
    const res = await post(
      '/project/0d3e5b1a-7c44-4f0e-9b2a-5a51c0de0001/key',
      'Bearer bsk_kfdemo03BasicDemoKey00000000000000000000',
      '{"label":"a","roles":"b"}',
      'foo',
    );
    expect(res.status).toBe(417);
    expect(res.body.length).toBe(0);
  });

  it('100-continue still works everywhere', async () => {
    const res = await post(
      '/v1/api_keys',
      'Api-Key kfdemo01.BasetenDemoKey000000000000000000',
      '{"type":"PERSONAL"}',
      '100-Continue',
    );
    expect(res.status).toBe(200);
  });
});

// What Basic, a Fastify service, answers for requests no route serves, as stock Fastify 5 does
// (the differential replay against test/differential/basic-reference.ts found each): Fastify's
// 404 route reads the body of the methods it knows to carry one, so the body's refusal comes
// first; a URL its router cannot take is Fastify's 400 or 414, not a 404.
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helper.js';

const app = useTestApp();
const PROJECT = '/project/0d3e5b1a-7c44-4f0e-9b2a-5a51c0de0001';
const DEMO = { authorization: 'Bearer bsk_kfdemo03BasicDemoKey00000000000000000000' };

describe('Basic: the body of a request no route serves', () => {
  it.each([
    [
      'POST',
      `${PROJECT}/key/nope`,
      'application/json',
      '{',
      400,
      "Body is not valid JSON but content-type is set to 'application/json'",
    ],
    [
      'PUT',
      `/basic${PROJECT}/key`,
      'application/json',
      '',
      400,
      "Body cannot be empty when content-type is set to 'application/json'",
    ],
    [
      'DELETE',
      `${PROJECT}/key`,
      'application/json',
      '{"__proto__":{}}',
      400,
      "Body is not valid JSON but content-type is set to 'application/json'",
    ],
    ['PATCH', `${PROJECT}/key`, 'garbage', 'x', 415, 'Unsupported Media Type'],
  ])(
    'answers %s %s with the body’s refusal, in Basic’s shape',
    async (method, url, contentType, payload, status, message) => {
      const res = await app().inject({
        method: method as 'POST',
        url,
        headers: { ...DEMO, 'content-type': contentType },
        payload,
      });
      expect(res.statusCode).toBe(status);
      expect(res.json()).toEqual({ error: status === 400 ? 'Bad Request' : 'Unsupported Media Type', message });
    },
  );

  it.each([
    ['a type Fastify has no parser for', 'POST', 'application/xml'],
    ['a method Fastify does not read bodies of', 'PROPFIND', 'application/json'],
  ])('still answers 404 to %s', async (_what, method, contentType) => {
    const res = await app().inject({
      method: method as 'POST',
      url: `${PROJECT}/key/nope`,
      headers: { 'content-type': contentType },
      payload: '{',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'Not Found', message: `Route ${method}:${PROJECT}/key/nope not found` });
  });
});

describe('Basic: a URL Fastify’s router cannot take', () => {
  it('answers a malformed percent-escape with Fastify’s 400', async () => {
    const res = await app().inject({ method: 'GET', url: '/project/%zz/key?x=1', headers: DEMO });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe(`{"error":"Bad Request","message":"'/project/%zz/key?x=1' is not a valid url component"}`);
  });

  it('answers a path parameter over 100 characters with Fastify’s 414', async () => {
    const url = `/basic/project/${'p'.repeat(101)}/key`;
    const res = await app().inject({ method: 'GET', url, headers: DEMO });
    expect(res.statusCode).toBe(414);
    expect(res.body).toBe(`{"error":"Bad Request","message":"'${url}' is exceeding the max param length"}`);
  });
});

// Peaka's mappings produce JSON only (its document lists application/json answers, as springdoc
// writes a `produces = "application/json"` mapping): an Accept that admits no JSON is Spring
// MVC's 406, after Spring Security and before the body (issue 24, item 8;
// src/vendors/common/spring-accept.ts says how Spring Boot renders it).
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helper.js';

const app = useTestApp();
const PATH = '/api/v1/projects/DemoPrj1/apiKeys';
const PARTNER = { authorization: 'Bearer kfdemo02.PeakaDemoPartnerKey0000000000000' };
const list = (headers: Record<string, string>) => app().inject({ method: 'GET', url: PATH, headers });

describe('Peaka: an Accept that admits no JSON', () => {
  it('answers text/html 406 with Spring Boot’s Whitelabel page and Accept: application/json', async () => {
    const res = await list({ ...PARTNER, accept: 'text/html' });
    expect(res.statusCode).toBe(406);
    expect(res.headers.accept).toBe('application/json');
    expect(res.headers['content-type']).toBe('text/html;charset=UTF-8');
    expect(res.body).toMatch(
      /^<html><body><h1>Whitelabel Error Page<\/h1><p>This application has no explicit mapping for \/error, so you are seeing this as a fallback\.<\/p><div id='created'>\w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4}<\/div><div>There was an unexpected error \(type=Not Acceptable, status=406\)\.<\/div><div>Acceptable representations: \[application\/json\]\.<\/div><\/body><\/html>$/,
    );
  });

  it('answers a type neither JSON nor HTML 406 with no body', async () => {
    for (const accept of ['application/xml', 'text/plain, image/png;q=0.5']) {
      const res = await list({ ...PARTNER, accept });
      expect(res.statusCode).toBe(406);
      expect(res.body).toBe('');
      expect(res.headers['content-type']).toBeUndefined();
    }
  });

  it('creates nothing: the mapping refuses before the handler runs', async () => {
    const before = (await list(PARTNER)).json().length;
    const res = await app().inject({
      method: 'POST',
      url: PATH,
      headers: { ...PARTNER, accept: 'text/html', 'content-type': 'application/json' },
      payload: '{"name":"html"}',
    });
    expect(res.statusCode).toBe(406);
    expect((await list(PARTNER)).json()).toHaveLength(before);
  });

  it('authenticates first', async () => {
    expect((await list({ accept: 'text/html' })).statusCode).toBe(401);
  });

  it.each(['*/*', 'application/*', 'text/html, application/json;q=0', 'application/*+json', 'APPLICATION/JSON'])(
    'serves Accept: %s',
    async (accept) => {
      expect((await list({ ...PARTNER, accept })).statusCode).toBe(200);
    },
  );
});

// Bytebeam content negotiation (issue 5): requests by Content-Type, answers by Accept, in JSON,
// transit+json, transit+msgpack and EDN. Bodies are encoded and decoded here with the client
// libraries (bytebeam-support.ts), never with keyforge's own codecs. Exact bytes: bytebeam-golden.
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helper.js';
import {
  call,
  ClientUuid,
  coercionClojure,
  coercionJson,
  createKey,
  decodeBody,
  DEMO,
  EDN,
  encodeMap,
  JSON_TYPE,
  Kw,
  MEDIA_TYPES,
  newTenant,
  secretOf,
  TRANSIT_JSON,
  TRANSIT_MSGPACK,
  UUID_V4,
  type MediaType,
  type Value,
} from './bytebeam-support.js';

const PAIRS = MEDIA_TYPES.flatMap((contentType) => MEDIA_TYPES.map((accept) => [contentType, accept] as const));
const CREATE = [
  ['name', 'n'],
  ['role', 'admin'],
] satisfies Array<[string, string]>;
/** An error map as decoded: keywords in transit and EDN, strings in JSON. */
const coercion = (type: MediaType, humanized: Record<string, string[]>) =>
  type === JSON_TYPE ? coercionJson(humanized) : coercionClojure(humanized);

describe('Bytebeam content negotiation', () => {
  const app = useTestApp();
  const post = (contentType: string, payload: string | Buffer, accept?: string, who = DEMO) =>
    call(app(), { method: 'POST', who, contentType, accept, payload });

  describe('round trips: every request type × every answer type', () => {
    it.each(PAIRS)('reads %s and answers %s with the key as a UUID', async (contentType, accept) => {
      const name = `rt ${contentType} ${accept}`;
      const res = await post(
        contentType,
        encodeMap(contentType, [
          ['name', name],
          ['role', 'admin'],
        ]),
        accept,
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe(`${accept}; charset=utf-8`);
      const body = decodeBody(accept, res.rawPayload);
      const key = accept === JSON_TYPE ? expect.stringMatching(UUID_V4) : expect.any(ClientUuid);
      expect(body).toEqual({ role: 'admin', name, key, 'created-by': 'admin@demo-tenant' });
      const secret = secretOf(body);
      expect(secret).toMatch(UUID_V4);

      // The key authenticates a call made in another encoding than the one that created it.
      const other = MEDIA_TYPES[(MEDIA_TYPES.indexOf(accept) + 1) % MEDIA_TYPES.length]!;
      const child = await post(
        other,
        encodeMap(other, [
          ['name', `${name} child`],
          ['role', 'viewer'],
        ]),
        other,
        { ...DEMO, secret },
      );
      expect(child.statusCode, child.body).toBe(200);
      expect(decodeBody(other, child.rawPayload)).toMatchObject({ name: `${name} child`, 'created-by': name });
    });
  });

  describe('request maps', () => {
    it.each(MEDIA_TYPES)('rejects an unknown key in %s, answering in the same type', async (type) => {
      const res = await post(type, encodeMap(type, [...CREATE, ['extra', 1]]), type);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toBe(`${type}; charset=utf-8`);
      expect(decodeBody(type, res.rawPayload)).toEqual(coercion(type, { extra: ['disallowed key'] }));
    });

    it.each(MEDIA_TYPES)('names a missing and a mistyped field in %s', async (type) => {
      const res = await post(type, encodeMap(type, [['role', 7]]), type);
      expect(res.statusCode).toBe(400);
      expect(decodeBody(type, res.rawPayload)).toEqual(
        coercion(type, { role: ['should be a string'], name: ['missing required key'] }),
      );
    });

    it.each([
      ['a keyword', TRANSIT_JSON, '["^ ","~:name","~:ci","~:role","admin"]'],
      ['a UUID', TRANSIT_JSON, '["^ ","~:name","~u0bde4a11-5eed-4c0d-9e00-00000000b17e","~:role","admin"]'],
      ['a keyword', EDN, '{:name :ci, :role "admin"}'],
      ['a UUID', EDN, '{:name #uuid "0bde4a11-5eed-4c0d-9e00-00000000b17e", :role "admin"}'],
      ['a set', EDN, '{:name #{"ci"}, :role "admin"}'],
    ])('answers "should be a string" to a name that is %s in %s', async (_what, type, payload) => {
      const res = await post(type, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(coercionJson({ name: ['should be a string'] }));
    });
  });

  describe('Accept', () => {
    it.each([
      [undefined, JSON_TYPE],
      ['*/*', JSON_TYPE],
      ['application/*', JSON_TYPE],
      ['application/edn;q=0.9, application/json;q=0.1', EDN],
      ['application/json;q=0.5, application/transit+msgpack', TRANSIT_MSGPACK],
      ['text/html, application/transit+json;q=0.2', TRANSIT_JSON],
      ['application/transit+json, application/edn', TRANSIT_JSON],
      ['application/*;q=0.5, application/edn', EDN],
      // muuntaja.parse/parse-accept: q=0 excludes nothing, */* is tried last and matches none of
      // the four, and names compare case-sensitively (muuntaja.core/-negotiate-accept).
      ['*/*;q=0.1, application/json;q=0', JSON_TYPE],
      ['application/edn;q=0.5, */*', EDN],
      ['APPLICATION/EDN', JSON_TYPE],
      ['application/edn; charset=utf-8', EDN],
    ] satisfies Array<[string | undefined, MediaType]>)('Accept %s answers %s', async (accept, type) => {
      const res = await call(app(), { accept });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(`${type}; charset=utf-8`);
      expect(Array.isArray(decodeBody(type, res.rawPayload))).toBe(true);
    });

    // muuntaja.core/-negotiate-accept falls back to :default-format, JSON, when it writes none of
    // the types a client accepts: there is no 406.
    it.each(['text/html', 'application/xml', 'application/msgpack', 'text'])(
      'answers Accept %s in JSON, its default format',
      async (accept) => {
        const listed = await call(app(), { accept });
        expect(listed.statusCode).toBe(200);
        expect(listed.headers['content-type']).toBe('application/json; charset=utf-8');
        const refused = await call(app(), { method: 'POST', who: null, accept, contentType: JSON_TYPE, payload: '{}' });
        expect(refused.statusCode).toBe(401);
        expect(refused.json()).toEqual({ error: 'Unauthorized' });
      },
    );
  });

  describe('unsupported and undecodable bodies', () => {
    // muuntaja has no decoder for these (muuntaja.core/-decode-request-body finds none; its
    // parse-content-type takes the text before `;` as it is), so the body stays undecoded and
    // reitit's coercion refuses the missing body-params (reitit.coercion/request-coercer).
    it.each([
      ['text/plain', JSON_TYPE],
      ['application/x-www-form-urlencoded', EDN],
      ['application/msgpack', TRANSIT_JSON],
      ['application/transit', TRANSIT_MSGPACK],
      ['APPLICATION/JSON', JSON_TYPE],
      ['application/json ; charset=utf-8', EDN],
      ['garbage', JSON_TYPE],
    ] as const)(
      'leaves a body of Content-Type %s undecoded: coercion refuses it, in the negotiated %s',
      async (contentType, accept) => {
        const res = await post(contentType, encodeMap(JSON_TYPE, CREATE), accept);
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toBe(`${accept}; charset=utf-8`);
        expect(decodeBody(accept, res.rawPayload)).toEqual(coercion(accept, ['invalid type'] as never));
      },
    );

    it('deletes whatever body of an undecodable type a DELETE carries: none is needed', async () => {
      const name = `undecoded-${Date.now()}`;
      await post(
        JSON_TYPE,
        encodeMap(JSON_TYPE, [
          ['name', name],
          ['role', 'viewer'],
        ]),
      );
      const res = await call(app(), {
        method: 'DELETE',
        url: `/api/v1/apikeys/${name}`,
        contentType: 'text/plain',
        payload: 'x',
      });
      expect(res.statusCode).toBe(200);
    });

    it.each([
      [JSON_TYPE, '{"name":"x"'],
      [TRANSIT_JSON, '["^ ","~:name"'],
      [TRANSIT_JSON, '["^ ","^5","x","~:role","admin"]'], // a cache code that names nothing
      [TRANSIT_MSGPACK, Buffer.from([0xc1])],
      [TRANSIT_MSGPACK, Buffer.from([0x82, 0xa6, 0x7e, 0x3a])],
      [EDN, '{:name "x", :name "y", :role "admin"}'], // clojure.edn: Duplicate key
      [EDN, '#foo/bar {:name "x", :role "admin"}'], // clojure.edn: No reader function for tag
      [EDN, '{:name "x", :role "admin", :at #inst "yesterday"}'],
      [EDN, '{:name "x", :role #uuid "not-a-uuid"}'],
      [EDN, '{:name "x'], // clojure.edn: EOF while reading string (not a bare "EOF while reading")
      [EDN, '{:name \\'], // EOF while reading character
      [EDN, '#'],
      [EDN, '{:name "x"]'], // Unmatched delimiter
    ] as const)('answers an undecodable %s body (%j) 400 text/plain naming its type', async (type, payload) => {
      for (const accept of [type, JSON_TYPE]) {
        const res = await post(type, payload, accept);
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(res.body).toBe(`Malformed "${type}" request.`);
      }
    });
  });

  describe('errors in the negotiated type', () => {
    it.each(MEDIA_TYPES)('answers 401 and 403 as {:error "…"} in %s', async (type) => {
      const unauthenticated = await call(app(), { who: null, accept: type });
      expect(unauthenticated.statusCode).toBe(401);
      expect(unauthenticated.headers['content-type']).toBe(`${type}; charset=utf-8`);
      expect(decodeBody(type, unauthenticated.rawPayload)).toEqual({ error: 'Unauthorized' });

      const { credential: viewer } = await createKey(app(), DEMO, `viewer ${type}`, 'viewer', type);
      const forbidden = await call(app(), { who: viewer, accept: type });
      expect(forbidden.statusCode).toBe(403);
      expect(decodeBody(type, forbidden.rawPayload)).toEqual({ error: 'Forbidden' });
    });

    it('writes keywords of an error as keywords in transit and EDN, not as strings', async () => {
      const res = await post(EDN, '{:name "x"}', EDN);
      const body = decodeBody(EDN, res.rawPayload) as Record<string, Value>;
      expect(body.type).toEqual(new Kw('reitit.coercion/request-coercion'));
      expect(body.in).toEqual([new Kw('request'), new Kw('body-params')]);
    });
  });

  it('lets a key created in transit+msgpack by a new tenant list that tenant in EDN', async () => {
    const { credential: root } = await newTenant(app());
    const { credential } = await createKey(app(), root, 'packed', 'admin', TRANSIT_MSGPACK);
    const res = await call(app(), { who: credential, accept: EDN });
    expect(res.statusCode).toBe(200);
    expect(decodeBody(EDN, res.rawPayload)).toEqual([
      { role: 'admin', name: 'packed', 'created-by': `admin@${root.tenant}` },
    ]);
  });
});

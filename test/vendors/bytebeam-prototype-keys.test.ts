// Keys named like Object.prototype's members are ordinary keys to a Clojure service: reitit and
// malli answer "disallowed key" for them in every media type, and nothing in the process
// changes. Before transit-cache.ts, echoing a "__proto__" key in transit wrote "0" and "1" onto
// Object.prototype (issue 21); with prototypes locked (test/lock-prototypes.ts) that write throws.
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { adminHeaders, useTestApp } from '../helper.js';
import { createBody, createTenant, VENDOR_NAMES } from '../reliability/support.js';
import { PROTOTYPE_NAMES } from '../support/built-ins.js';
import {
  authHeaders,
  DEMO,
  EDN,
  JSON_TYPE,
  MEDIA_TYPES,
  PATH,
  TRANSIT_JSON,
  TRANSIT_MSGPACK,
  type MediaType,
} from './bytebeam-support.js';

type KeyKind = 'keyword' | 'string';

/** A create body with name and role, plus `extra`: as a keyword key, or as a string key (transit, msgpack, EDN). */
function requestBody(type: MediaType, extra: string, kind: KeyKind): string | Buffer {
  const key = JSON.stringify(kind === 'keyword' ? `~:${extra}` : extra);
  switch (type) {
    case JSON_TYPE:
      return `{"name":"k","role":"admin",${JSON.stringify(extra)}:1}`;
    case TRANSIT_JSON:
      return `["^ ","~:name","k","~:role","admin",${key},1]`;
    case TRANSIT_MSGPACK:
      // fromEntries defines own properties, so "__proto__" is written as a key.
      return Buffer.from(
        encode(
          Object.fromEntries([
            ['~:name', 'k'],
            ['~:role', 'admin'],
            [JSON.parse(key) as string, 1],
          ]),
        ),
      );
    case EDN:
      return `{:name "k" :role "admin" ${kind === 'keyword' ? `:${extra}` : JSON.stringify(extra)} 1}`;
  }
}

/** reitit's coercion error naming the one disallowed key, exactly as jsonista, transit-java and pr-str write it. */
function expectedAnswer(type: MediaType, extra: string, kind: KeyKind): string | Buffer {
  const transitKey = kind === 'keyword' ? `~:${extra}` : extra;
  switch (type) {
    case JSON_TYPE:
      return `{"type":"reitit.coercion/request-coercion","coercion":"malli","in":["request","body-params"],"humanized":{${JSON.stringify(extra)}:["disallowed key"]}}`;
    case TRANSIT_JSON:
      return `["^ ","~:type","~:reitit.coercion/request-coercion","~:coercion","~:malli","~:in",["~:request","~:body-params"],"~:humanized",["^ ",${JSON.stringify(transitKey)},["disallowed key"]]]`;
    case TRANSIT_MSGPACK:
      return Buffer.from(
        encode({
          '~:type': '~:reitit.coercion/request-coercion',
          '~:coercion': '~:malli',
          '~:in': ['~:request', '~:body-params'],
          '~:humanized': Object.fromEntries([[transitKey, ['disallowed key']]]),
        }),
      );
    case EDN:
      return `{:type :reitit.coercion/request-coercion, :coercion :malli, :in [:request :body-params], :humanized {${kind === 'keyword' ? `:${extra}` : JSON.stringify(extra)} ["disallowed key"]}}`;
  }
}

/** JSON keys are keywordized by muuntaja; the other three keep a string key a string. */
const KINDS: Record<MediaType, KeyKind[]> = {
  [JSON_TYPE]: ['keyword'],
  [TRANSIT_JSON]: ['keyword', 'string'],
  [TRANSIT_MSGPACK]: ['string'],
  [EDN]: ['keyword', 'string'],
};

describe('Bytebeam bodies with keys named like prototype members', () => {
  const app = useTestApp();
  const builtIns = () =>
    [Object.prototype, Array.prototype, Function.prototype, Object].map((o) =>
      Object.getOwnPropertyNames(o).sort().join(),
    );
  const before = builtIns();

  for (const extra of PROTOTYPE_NAMES) {
    it(`answers 400 "disallowed key" for ${extra} in every request and answer type`, async () => {
      for (const requestType of MEDIA_TYPES) {
        for (const kind of KINDS[requestType]) {
          for (const accept of MEDIA_TYPES) {
            const res = await app().inject({
              method: 'POST',
              url: PATH,
              headers: { ...authHeaders(DEMO), 'content-type': requestType, accept },
              payload: requestBody(requestType, extra, kind),
            });
            const where = `${kind} key ${extra} in ${requestType}, answer in ${accept}`;
            expect(res.statusCode, where).toBe(400);
            expect(res.headers['content-type'], where).toContain(accept);
            const expected = expectedAnswer(accept, extra, accept === JSON_TYPE ? 'keyword' : kind);
            if (typeof expected === 'string') expect(res.body, where).toBe(expected);
            else expect(res.rawPayload.equals(expected), `${where}: ${res.rawPayload.toString('hex')}`).toBe(true);
          }
        }
      }
    });
  }

  it('reads a transit tag named like a prototype member as an unknown tag, which malli refuses', async () => {
    for (const tag of PROTOTYPE_NAMES) {
      for (const [type, payload] of [
        [TRANSIT_JSON, `["^ ","~:name",["~#${tag}","x"],"~:role","admin"]`],
        [TRANSIT_MSGPACK, Buffer.from(encode({ '~:name': [`~#${tag}`, 'x'], '~:role': 'admin' }))],
      ] as const) {
        const res = await app().inject({
          method: 'POST',
          url: PATH,
          headers: { ...authHeaders(DEMO), 'content-type': type },
          payload,
        });
        expect(res.statusCode, `${tag} in ${type}`).toBe(400);
        expect(res.json().humanized, `${tag} in ${type}`).toEqual({ name: ['should be a string'] });
      }
    }
  });

  it('shows a transit+msgpack body holding "__proto__" decoded in the journal, key and all', async () => {
    const payload = requestBody(TRANSIT_MSGPACK, '__proto__', 'string');
    const headers = { ...authHeaders(DEMO), 'content-type': TRANSIT_MSGPACK, accept: TRANSIT_MSGPACK };
    expect((await app().inject({ method: 'POST', url: PATH, headers, payload })).statusCode).toBe(400);
    const [entry] = (
      await app().inject({ url: '/_keyforge/requests?vendor=bytebeam&limit=1', headers: adminHeaders })
    ).json().requests;
    expect(entry.request.body).toBe('["^ ","~:name","k","~:role","admin","__proto__",1]');
    expect(entry.response.body).toBe(expectedAnswer(TRANSIT_JSON, '__proto__', 'string'));
  });

  it('leaves the process as it was: built-in prototypes, health, a create per vendor, the journal', async () => {
    expect(builtIns()).toEqual(before);
    const health = await app().inject({ url: '/_keyforge/health' });
    expect(health.json()).toMatchObject({ status: 'ok' });
    for (const vendor of VENDOR_NAMES) {
      const tenant = await createTenant(app(), vendor);
      const res = await app().inject({
        method: 'POST',
        url: tenant.request.path,
        headers: tenant.request.headers,
        payload: createBody(tenant, `after-${vendor}`),
      });
      expect(res.statusCode, `${vendor}: ${res.body}`).toBeLessThan(300);
    }
    const journal = await app().inject({ url: '/_keyforge/requests?vendor=bytebeam&limit=5', headers: adminHeaders });
    expect(journal.statusCode).toBe(200);
    expect(journal.json().requests.length).toBe(5);
  });
});

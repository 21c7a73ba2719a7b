// Two muuntaja and reitit-malli behaviours, decided from their source (docs/vendors/bytebeam.md):
// - `:allow-empty-input? true`: a body that ends before a value is no body, in all four types;
// - transit and EDN keep map keys as written, and the malli schema names keyword keys: a map
//   with string keys lacks `:name` and `:role` and has two disallowed keys.
import { decode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helper.js';
import {
  call,
  coercionJson,
  createKey,
  DEMO,
  EDN,
  encodeMap,
  JSON_TYPE,
  MEDIA_TYPES,
  TRANSIT_JSON,
  TRANSIT_MSGPACK,
  type MediaType,
} from './bytebeam-support.js';

const EMPTY: Record<MediaType, Array<string | Buffer>> = {
  [JSON_TYPE]: ['', ' \r\n\t', '\uFEFF'],
  [TRANSIT_JSON]: ['', '  \n'],
  [TRANSIT_MSGPACK]: [Buffer.alloc(0)],
  // clojure.edn's bare "EOF while reading": no form at all, or a collection still open.
  [EDN]: ['', ' , ', '; only a comment', '#_ {:name "x"}', '{:name "ci", :role "admin"', '[', '#uuid'],
};

describe('Bytebeam: an empty body is no body', () => {
  const app = useTestApp();

  it.each(MEDIA_TYPES)('deletes a key on a bodiless DELETE that says Content-Type: %s', async (type) => {
    const name = `bodiless ${type}`;
    await createKey(app(), DEMO, name);
    const res = await call(app(), {
      method: 'DELETE',
      url: `/api/v1/apikeys/${encodeURIComponent(name)}`,
      contentType: type,
      payload: '',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ role: 'admin', name, 'created-by': 'admin@demo-tenant' });
    const listed = (await call(app(), {})).json() as Array<{ name: string }>;
    expect(listed.map((k) => k.name)).not.toContain(name);
  });

  it.each(MEDIA_TYPES)('lists keys on a GET that says Content-Type: %s', async (type) => {
    const res = await call(app(), { method: 'GET', contentType: type });
    expect(res.statusCode).toBe(200);
    expect(Array.isArray(res.json())).toBe(true);
  });

  it.each(MEDIA_TYPES.flatMap((type) => EMPTY[type].map((payload) => [type, payload] as const)))(
    'answers a create whose %s body is %j with the coercion error of a missing body',
    async (type, payload) => {
      const missing = await call(app(), { method: 'POST' });
      const empty = await call(app(), { method: 'POST', contentType: type, payload });
      expect(empty.statusCode).toBe(400);
      expect(empty.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(empty.json()).toEqual(coercionJson(['invalid type']));
      expect(empty.body).toBe(missing.body);
    },
  );
});

describe('Bytebeam: string keys are not keyword keys', () => {
  const app = useTestApp();
  it('refuses the transit map ["^ ","name","x","role","y"] as malli does: both fields missing, both string keys disallowed', async () => {
    const transitJson = await call(app(), {
      method: 'POST',
      contentType: TRANSIT_JSON,
      accept: TRANSIT_JSON,
      payload: '["^ ","name","x","role","y"]',
    });
    expect(transitJson.statusCode).toBe(400);
    expect(transitJson.body).toBe(
      '["^ ","~:type","~:reitit.coercion/request-coercion","~:coercion","~:malli","~:in",["~:request","~:body-params"],' +
        '"~:humanized",["^ ","~:role",["missing required key"],"~:name",["missing required key"],"name",["disallowed key"],"role",["disallowed key"]]]',
    );
    // jsonista writes :name and "name" alike: the JSON answer repeats the key, as the service's would.
    const json = await call(app(), {
      method: 'POST',
      contentType: TRANSIT_JSON,
      payload: '["^ ","name","x","role","y"]',
    });
    expect(json.body).toBe(
      '{"type":"reitit.coercion/request-coercion","coercion":"malli","in":["request","body-params"],' +
        '"humanized":{"role":["missing required key"],"name":["missing required key"],"name":["disallowed key"],"role":["disallowed key"]}}',
    );
    expect(json.json()).toEqual(coercionJson({ role: ['disallowed key'], name: ['disallowed key'] })); // JSON.parse keeps the last
  });

  it('refuses string keys in EDN and transit+msgpack the same way, and keeps them strings in the answer', async () => {
    const edn = await call(app(), {
      method: 'POST',
      contentType: EDN,
      accept: EDN,
      payload: encodeMap(
        EDN,
        [
          ['name', 'x'],
          ['role', 'y'],
        ],
        true,
      ),
    });
    expect(edn.statusCode).toBe(400);
    expect(edn.body).toBe(
      '{:type :reitit.coercion/request-coercion, :coercion :malli, :in [:request :body-params], ' +
        ':humanized {:role ["missing required key"], :name ["missing required key"], "name" ["disallowed key"], "role" ["disallowed key"]}}',
    );
    const msgpack = await call(app(), {
      method: 'POST',
      contentType: TRANSIT_MSGPACK,
      accept: TRANSIT_MSGPACK,
      payload: encodeMap(
        TRANSIT_MSGPACK,
        [
          ['name', 'x'],
          ['role', 'y'],
        ],
        true,
      ),
    });
    expect(msgpack.statusCode).toBe(400);
    const tree = decode(msgpack.rawPayload) as Record<string, Record<string, unknown>>;
    expect(Object.keys(tree['~:humanized']!)).toEqual(['~:role', '~:name', 'name', 'role']);
  });

  it('still creates the key from keyword keys in every type', async () => {
    for (const type of MEDIA_TYPES) {
      const { body } = await createKey(app(), DEMO, `keywords ${type}`, 'admin', type);
      expect(body).toMatchObject({ name: `keywords ${type}` });
    }
  });
});

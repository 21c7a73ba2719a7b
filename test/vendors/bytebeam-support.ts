// Shared pieces of the Bytebeam tests: credentials, the calls a client makes, and a Clojure
// client's view of the four media types. The wire side is written here with the libraries
// themselves (transit-js, @msgpack/msgpack, edn-data) and never with keyforge's codecs, so a
// round trip proves the format rather than agreeing with itself.
import { decode, encode } from '@msgpack/msgpack';
import { parseEDNString, toEDNString, toKeyword, type EDNVal } from 'edn-data';
import transit from 'transit-js';
import { expect } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { adminHeaders, vendorCall } from '../helper.js';

export const PATH = '/api/v1/apikeys';
export const DEMO: Credential = { tenant: 'demo-tenant', secret: '0bde4a11-5eed-4c0d-9e00-00000000b17e' };
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const JSON_TYPE = 'application/json';
export const TRANSIT_JSON = 'application/transit+json';
export const TRANSIT_MSGPACK = 'application/transit+msgpack';
export const EDN = 'application/edn';
export const MEDIA_TYPES = [JSON_TYPE, TRANSIT_JSON, TRANSIT_MSGPACK, EDN] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

export interface Credential {
  tenant: string;
  secret: string;
}

export const authHeaders = (who: Credential) => ({ 'x-bytebeam-api-key': who.secret, 'x-bytebeam-tenant': who.tenant });

/** A keyword as a Clojure client reads it back (`:malli`). */
export class Kw {
  constructor(readonly name: string) {}
}
/** A java.util.UUID as a Clojure client reads it back (a tagged value, not a string). */
export class ClientUuid {
  constructor(readonly value: string) {}
}
export type Value = string | number | boolean | null | Kw | ClientUuid | Value[] | { [key: string]: Value };

// ---- requests -------------------------------------------------------------------------

/** Encodes a map in `mediaType`; in transit and EDN its keys are keywords unless `stringKeys`. */
export function encodeMap(
  mediaType: MediaType,
  entries: Array<[string, unknown]>,
  stringKeys = false,
): string | Buffer {
  if (mediaType === JSON_TYPE) return JSON.stringify(Object.fromEntries(entries));
  if (mediaType === EDN) {
    return toEDNString({ map: entries.map(([key, value]) => [stringKeys ? key : toKeyword(key), value as EDNVal]) });
  }
  const map = transit.map(entries.flatMap(([key, value]) => [stringKeys ? key : transit.keyword(key), value]));
  // No key cache: transit-js keeps it in a plain {}, where a key "__proto__" writes onto
  // Object.prototype (issue 21). A map whose keys all differ gets no cache codes anyway.
  const writer = transit.writer('json', { cache: false });
  if (mediaType === TRANSIT_JSON) return writer.write(map);
  // transit+msgpack is transit's marshalled tree in msgpack, with maps as native msgpack maps.
  return Buffer.from(encode(msgpackTree(writer.write(map, { marshalTop: false }))));
}

function msgpackTree(node: unknown): unknown {
  if (!Array.isArray(node)) return node;
  if (node[0] !== '^ ') return node.map(msgpackTree);
  // fromEntries defines each key, so "__proto__" is a key here, not the map's prototype.
  const pairs: Array<[string, unknown]> = [];
  for (let i = 1; i < node.length; i += 2) pairs.push([String(node[i]), msgpackTree(node[i + 1])]);
  return Object.fromEntries(pairs);
}

// ---- answers --------------------------------------------------------------------------

/** Decodes an answer body the way a client of that media type does. */
export function decodeBody(mediaType: MediaType, raw: Buffer): Value {
  if (mediaType === JSON_TYPE) return JSON.parse(raw.toString('utf8')) as Value;
  if (mediaType === TRANSIT_JSON) return fromTransit(transit.reader('json').read(raw.toString('utf8')));
  if (mediaType === TRANSIT_MSGPACK) {
    // transit-java's msgpack writer sends a UUID as ["~#u", [msb, lsb]]: two signed 64-bit longs.
    const handlers = {
      u: (rep: unknown) => (Array.isArray(rep) ? transit.uuid(fromHalves(rep[0], rep[1])) : transit.uuid(String(rep))),
    };
    return fromTransit(transit.decoder({ handlers }).decode(decode(raw, { useBigInt64: true }), transit.readCache()));
  }
  return fromEdn(
    parseEDNString(raw.toString('utf8'), { tagHandlers: { uuid: (text) => new ClientUuid(String(text)) } }),
  );
}

/** java.util.UUID(msb, lsb).toString(). */
export function fromHalves(msb: unknown, lsb: unknown): string {
  const hex = [msb, lsb]
    .map((half) =>
      BigInt.asUintN(64, BigInt(half as bigint))
        .toString(16)
        .padStart(16, '0'),
    )
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function fromTransit(value: unknown): Value {
  if (transit.isKeyword(value)) return new Kw(value.toString().slice(1));
  if (transit.isUUID(value)) return new ClientUuid(value.toString());
  if (Array.isArray(value)) return value.map(fromTransit);
  if (transit.isMap(value)) {
    const object: Record<string, Value> = {};
    value.forEach((v, key) => {
      // Answers are keyword-keyed, as a Clojure service holds them; a string key is a failure.
      if (!transit.isKeyword(key)) throw new Error(`transit map key ${String(key)} is not a keyword`);
      object[key.toString().slice(1)] = fromTransit(v);
    });
    return object;
  }
  return value as Value;
}

function fromEdn(value: unknown): Value {
  if (value instanceof ClientUuid || value === null || typeof value !== 'object') return value as Value;
  if (Array.isArray(value)) return value.map(fromEdn);
  const node = value as { map?: Array<[unknown, unknown]>; key?: string };
  if (typeof node.key === 'string') return new Kw(node.key);
  if (!node.map) throw new Error(`unexpected EDN value ${JSON.stringify(value)}`);
  const object: Record<string, Value> = {};
  for (const [key, v] of node.map) {
    if (typeof (key as { key?: unknown }).key !== 'string')
      throw new Error(`EDN map key ${JSON.stringify(key)} is not a keyword`);
    object[(key as { key: string }).key] = fromEdn(v);
  }
  return object;
}

/** The secret of a create answer: a tagged UUID in transit and EDN, a string in JSON. */
export function secretOf(body: Value): string {
  const key = (body as Record<string, Value>).key;
  if (key instanceof ClientUuid) return key.value;
  if (typeof key === 'string') return key;
  throw new Error(`no key in ${JSON.stringify(body)}`);
}

// ---- calls ----------------------------------------------------------------------------

export interface CallOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  url?: string;
  who?: Credential | null;
  contentType?: string;
  accept?: string;
  payload?: string | Buffer;
}

/** A Bytebeam call; creates go through vendorCall so their answers meet openapi/bytebeam.yaml. */
export function call(
  app: FastifyInstance,
  { method = 'GET', url = PATH, who = DEMO, contentType, accept, payload }: CallOptions,
) {
  const headers: Record<string, string> = { ...(who ? authHeaders(who) : {}) };
  if (contentType) headers['content-type'] = contentType;
  if (accept) headers.accept = accept;
  const options: InjectOptions & { url: string } = {
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload }),
  };
  return method === 'POST' && url.endsWith(PATH) ? vendorCall(app, 'bytebeam', options) : app.inject(options);
}

/** Creates a key in `type` (request and answer), asserts 200, and answers its decoded body and secret. */
export async function createKey(
  app: FastifyInstance,
  who: Credential,
  name: string,
  role = 'admin',
  type: MediaType = JSON_TYPE,
) {
  const res = await call(app, {
    method: 'POST',
    who,
    contentType: type,
    accept: type,
    payload: encodeMap(type, [
      ['name', name],
      ['role', role],
    ]),
  });
  expect(res.statusCode, res.body).toBe(200);
  const body = decodeBody(type, res.rawPayload);
  return { body, credential: { tenant: who.tenant, secret: secretOf(body) } };
}

/** A new tenant and its root credential, from the admin API. */
export async function newTenant(app: FastifyInstance, tenant?: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/_keyforge/tenants',
    headers: adminHeaders,
    payload: { vendor: 'bytebeam', ...(tenant ? { tenant } : {}) },
  });
  expect(res.statusCode, res.body).toBe(201);
  const created = res.json();
  const credential: Credential = {
    tenant: created.request.headers['x-bytebeam-tenant'],
    secret: created.request.headers['x-bytebeam-api-key'],
  };
  return {
    credential,
    request: created.request as { method: 'POST'; path: string; headers: Record<string, string>; body: unknown },
  };
}

/** reitit's coercion error, as decoded from JSON (keywords are plain strings there). */
export const coercionJson = (humanized: unknown) => ({
  type: 'reitit.coercion/request-coercion',
  coercion: 'malli',
  in: ['request', 'body-params'],
  humanized,
});

/** The same error as a transit or EDN client reads it: keywords stay keywords. */
export const coercionClojure = (humanized: Value) => ({
  type: new Kw('reitit.coercion/request-coercion'),
  coercion: new Kw('malli'),
  in: [new Kw('request'), new Kw('body-params')],
  humanized,
});

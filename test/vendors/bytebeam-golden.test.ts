// Bytebeam on the wire, byte for byte: the hand-checked examples in bytebeam-golden/ (the shapes
// docs/vendors/bytebeam.md shows) against what keyforge actually sends. The new key's UUID is pinned by
// wrapping node:crypto's randomUUID, so each answer is compared after substituting that UUID.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestApp } from '../helper.js';
import {
  call,
  ClientUuid,
  decodeBody,
  EDN,
  JSON_TYPE,
  newTenant,
  PATH,
  TRANSIT_JSON,
  TRANSIT_MSGPACK,
  type Credential,
  type MediaType,
} from './bytebeam-support.js';

/** UUIDs the next randomUUID() calls answer (the first call of a create draws the key). */
const pinned = vi.hoisted(() => [] as string[]);
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  return { ...crypto, randomUUID: () => pinned.shift() ?? crypto.randomUUID() };
});

const EXTENSION: Record<MediaType, string> = {
  [JSON_TYPE]: 'json',
  [TRANSIT_JSON]: 'transit.json',
  [TRANSIT_MSGPACK]: 'transit.msgpack.hex',
  [EDN]: 'edn',
};

/** A golden file's exact bytes; the file's final newline is not part of them. Hex files drop comments. */
function golden(name: string, type: MediaType, values: Record<string, string> = {}): Buffer {
  let text = readFileSync(new URL(`bytebeam-golden/${name}.${EXTENSION[type]}`, import.meta.url), 'utf8').replace(
    /\n$/,
    '',
  );
  for (const [placeholder, value] of Object.entries(values)) text = text.replaceAll(`{{${placeholder}}}`, value);
  if (type !== TRANSIT_MSGPACK) return Buffer.from(text, 'utf8');
  return Buffer.from(text.replace(/#.*$/gm, '').replace(/\s+/g, ''), 'hex');
}

const show = (type: MediaType, bytes: Buffer) =>
  type === TRANSIT_MSGPACK ? bytes.toString('hex') : bytes.toString('utf8');

describe('Bytebeam golden wire examples', () => {
  const app = useTestApp();
  let root: Credential;
  beforeAll(async () => {
    root = (await newTenant(app(), 'golden')).credential;
  });

  /** Creates "ci" from the golden request with the given key UUID, answers in `type`, and deletes it again. */
  async function createPinned(type: MediaType, uuid: string) {
    pinned.push(uuid);
    const res = await call(app(), {
      method: 'POST',
      who: root,
      contentType: type,
      accept: type,
      payload: golden('create-request', type),
    });
    expect((await call(app(), { method: 'DELETE', url: `${PATH}/ci`, who: root })).statusCode).toBe(200);
    return res;
  }

  // Each pinned UUID differs in its first 8 hex digits: a deleted key keeps its lookup id.
  it.each([
    [JSON_TYPE, '1f2a6c1e-9b4d-4e8f-a1b2-c3d4e5f60718'],
    [TRANSIT_JSON, '2f2a6c1e-9b4d-4e8f-a1b2-c3d4e5f60718'],
    [EDN, '3f2a6c1e-9b4d-4e8f-a1b2-c3d4e5f60718'],
  ] as const)('answers a create in %s exactly as the golden example', async (type, uuid) => {
    const res = await createPinned(type, uuid);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(`${type}; charset=utf-8`);
    expect(show(type, res.rawPayload)).toBe(show(type, golden('create-response', type, { uuid })));
  });

  // Halves hand-packed as msgpack-java's packLong does: uint/int in the fewest bytes, cf/d3 for
  // 64 bits. Never a float64 (cb), which a transit reader would not take for a long.
  it.each([
    ['4f2a6c1e-9b4d-4e8f-a1b2-c3d4e5f60718', 'cf4f2a6c1e9b4d4e8f', 'd3a1b2c3d4e5f60718'],
    ['00000001-0000-4000-8000-000000000000', 'cf0000000100004000', 'd38000000000000000'],
    ['fff00000-0000-4000-8000-000000000000', 'd3fff0000000004000', 'd38000000000000000'],
    ['00000000-0001-4000-8000-000000000000', 'ce00014000', 'd38000000000000000'],
    ['ffffffff-ffff-4fff-bfff-ffffffffffff', 'd2ffff4fff', 'd3bfffffffffffffff'],
  ])('answers a transit+msgpack create with key %s exactly as the golden example', async (uuid, msb, lsb) => {
    const res = await createPinned(TRANSIT_MSGPACK, uuid);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/transit+msgpack; charset=utf-8');
    expect(res.rawPayload.toString('hex')).toBe(
      golden('create-response', TRANSIT_MSGPACK, { msb, lsb }).toString('hex'),
    );
    expect(decodeBody(TRANSIT_MSGPACK, res.rawPayload)).toMatchObject({ key: new ClientUuid(uuid) });
  });

  it.each([
    [JSON_TYPE, '0aaa0001-0000-4000-8000-000000000001'],
    [TRANSIT_JSON, '0aaa0002-0000-4000-8000-000000000001'],
    [TRANSIT_MSGPACK, '0aaa0003-0000-4000-8000-000000000001'],
    [EDN, '0aaa0004-0000-4000-8000-000000000001'],
  ] as const)('lists in %s exactly as the golden example', async (type, ci) => {
    pinned.push(ci);
    const created = await call(app(), {
      method: 'POST',
      who: root,
      contentType: JSON_TYPE,
      payload: '{"name":"ci","role":"admin"}',
    });
    expect(created.json().key).toBe(ci);
    const asCi = { tenant: root.tenant, secret: ci };
    expect(
      (
        await call(app(), {
          method: 'POST',
          who: asCi,
          contentType: JSON_TYPE,
          payload: '{"name":"ro","role":"viewer"}',
        })
      ).statusCode,
    ).toBe(200);

    const res = await call(app(), { who: root, accept: type });
    expect(res.statusCode).toBe(200);
    expect(show(type, res.rawPayload)).toBe(show(type, golden('list-response', type)));
    for (const name of ['ro', 'ci'])
      expect((await call(app(), { method: 'DELETE', url: `${PATH}/${name}`, who: root })).statusCode).toBe(200);
  });

  it.each([
    [JSON_TYPE, '{"role":"admin","extra":1}'],
    [TRANSIT_JSON, '["^ ","~:role","admin","~:extra",1]'],
    [EDN, '{:role "admin", :extra 1}'],
  ] as const)('answers the coercion error in %s exactly as the golden example', async (type, payload) => {
    const res = await call(app(), { method: 'POST', who: root, contentType: type, accept: type, payload });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe(`${type}; charset=utf-8`);
    expect(res.body).toBe(golden('create-error', type).toString('utf8'));
  });
});

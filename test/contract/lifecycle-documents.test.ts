// The lifecycle calls each vendor does not document itself are described in keyforge's
// extension documents (openapi/extensions/<vendor>.yaml, generated from the routes); their real
// answers — success and the errors that follow a delete — must validate against them, through
// the same helper that checks the vendors' own calls.
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../src/vendors/index.js';
import { useTestApp, vendorCall } from '../helper.js';

const app = useTestApp();
const demo = Object.fromEntries(DIALECTS.map((d) => [d.name, d.createKeyRequest(d.demo)]));

interface Lifecycle {
  /** The created key's handle, from the create answer. */
  handle(created: Record<string, unknown>): string;
  calls(handle: string): { method: 'GET' | 'POST' | 'DELETE'; url: string; body?: unknown }[];
}

const BASIC_PROJECT = '/project/0d3e5b1a-7c44-4f0e-9b2a-5a51c0de0001/key';
const LIFECYCLES: Record<string, Lifecycle> = {
  basic: {
    handle: (c) => JSON.stringify(c.key),
    calls: (key) => {
      const { id, value } = JSON.parse(key) as { id: string; value: string };
      return [
        { method: 'GET', url: BASIC_PROJECT },
        { method: 'GET', url: `${BASIC_PROJECT}/${id}` },
        { method: 'POST', url: `${BASIC_PROJECT}/verify`, body: { key: value } },
        { method: 'DELETE', url: `${BASIC_PROJECT}/${id}` },
        { method: 'GET', url: `${BASIC_PROJECT}/${id}` },
        { method: 'POST', url: `${BASIC_PROJECT}/verify`, body: { key: value } },
      ];
    },
  },
  baseten: {
    handle: (c) => String(c.api_key).split('.')[0]!,
    calls: (prefix) => [
      { method: 'GET', url: '/v1/api_keys' },
      { method: 'DELETE', url: `/v1/api_keys/${prefix}` },
      { method: 'DELETE', url: `/v1/api_keys/${prefix}` },
    ],
  },
  bytebeam: {
    handle: (c) => String(c.name),
    calls: (name) => [
      { method: 'GET', url: '/api/v1/apikeys' },
      { method: 'DELETE', url: `/api/v1/apikeys/${name}` },
      { method: 'DELETE', url: `/api/v1/apikeys/${name}` },
    ],
  },
  peaka: {
    handle: (c) => String(c.apiKeyId),
    calls: (id) => [
      { method: 'GET', url: '/api/v1/projects/DemoPrj1/apiKeys' },
      { method: 'DELETE', url: `/api/v1/projects/DemoPrj1/apiKeys/${id}` },
      { method: 'DELETE', url: `/api/v1/projects/DemoPrj1/apiKeys/${id}` },
    ],
  },
  imtegrate: {
    handle: (c) => String(c.id),
    calls: (id) => [
      { method: 'GET', url: '/v1/api-keys' },
      { method: 'POST', url: `/v1/api-keys/${id}/revoke` },
      { method: 'POST', url: '/v1/api-keys/00000000-0000-4000-8000-000000000000/revoke' },
    ],
  },
};

describe.each(DIALECTS.map((d) => d.name))('%s lifecycle calls', (vendor) => {
  it.each(['', `/${vendor}`])('validate against the vendor or extension document (mount "%s")', async (mount) => {
    const create = demo[vendor]!;
    const body = {
      ...(create.body as object),
      ...(create.uniqueField ? { [create.uniqueField]: `doc-${mount.length}` } : {}),
    }; // Bytebeam's names are unique
    const created = await vendorCall(app(), vendor, {
      method: 'POST',
      url: mount + create.path,
      headers: create.headers,
      payload: JSON.stringify(body),
    });
    expect([200, 201]).toContain(created.statusCode);

    const statuses: number[] = [];
    for (const call of LIFECYCLES[vendor]!.calls(LIFECYCLES[vendor]!.handle(created.json()))) {
      const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
      const headers = { ...create.headers, ...(payload === undefined ? { 'Content-Type': undefined } : {}) };
      const answer = await vendorCall(app(), vendor, { method: call.method, url: mount + call.url, headers, payload });
      statuses.push(answer.statusCode);
    }
    // Every call succeeds until the key is gone; what follows is the vendor's not-found answer.
    expect(statuses.every((s) => s < 300 || s === 404)).toBe(true);
    expect(statuses).toContain(404);
  });
});

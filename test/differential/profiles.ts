// What the replay needs to know of each vendor: its document (request schemas), the operations
// both sides serve (the document's create, and the lifecycle calls of docs/vendors/<vendor>.md),
// how a credential is sent, and what names a key a create answered with — so a later call can
// use or delete "the third key created" on each side with that side's own secret and id.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Json } from '../contract/fuzz-schemas.js';

export type DifferentialVendor = 'baseten' | 'imtegrate' | 'basic';

export interface Operation {
  method: string;
  /** With `{param}` placeholders. */
  template: string;
  /** The request body's schema in the document, for operations that read one. */
  body?: Json;
  /** Creates a key: its 2xx answer names one (`createdKey`). */
  creates?: boolean;
}

/** A key both sides created in the same call, each with its own secret and id. */
export interface CreatedKey {
  secret: string;
  /** What paths name it by: Baseten's prefix, Imtegrate's and Basic's id. */
  id: string;
}

export interface VendorProfile {
  vendor: DifferentialVendor;
  document: Json;
  operations: Operation[];
  /** The demo credential, valid on both sides. */
  demoSecret: string;
  /** Values a `{param}` of the demo's own resources takes (Basic's project). */
  demoParams: Record<string, string>;
  /** The schemes the credential may be sent with (as clients write them) and one the vendor does not take. */
  schemes: { accepted: string[]; refused: string };
  createdKey(body: Json): CreatedKey;
}

const documentOf = (vendor: string): Json =>
  parse(readFileSync(new URL(`../../openapi/${vendor}.yaml`, import.meta.url), 'utf8')) as Json;

const requestSchema = (doc: Json, path: string): Json =>
  (doc.paths as Json)[path].post.requestBody.content['application/json'].schema as Json;

function baseten(): VendorProfile {
  const document = documentOf('baseten');
  return {
    vendor: 'baseten',
    document,
    operations: [
      { method: 'POST', template: '/v1/api_keys', body: requestSchema(document, '/v1/api_keys'), creates: true },
      { method: 'GET', template: '/v1/api_keys' },
      { method: 'DELETE', template: '/v1/api_keys/{api_key_prefix}' },
    ],
    demoSecret: 'kfdemo01.BasetenDemoKey000000000000000000',
    demoParams: {},
    schemes: { accepted: ['Api-Key', 'Bearer', 'api-key'], refused: 'Basic' },
    createdKey: (body) => ({ secret: body.api_key as string, id: (body.api_key as string).split('.')[0]! }),
  };
}

function imtegrate(): VendorProfile {
  const document = documentOf('imtegrate');
  return {
    vendor: 'imtegrate',
    document,
    operations: [
      { method: 'POST', template: '/v1/api-keys', body: requestSchema(document, '/v1/api-keys'), creates: true },
      { method: 'GET', template: '/v1/api-keys' },
      { method: 'POST', template: '/v1/api-keys/{id}/revoke' },
    ],
    demoSecret: 'imt_test_kfdemo05_ImtegrateDemoToken00000000000000',
    demoParams: {},
    schemes: { accepted: ['Bearer', 'bearer'], refused: 'Token' },
    createdKey: (body) => ({ secret: body.token as string, id: body.id as string }),
  };
}

/** Basic's document has create only; the others are docs/vendors/basic.md's. */
const KEY_VIEW = {
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string' }, key_id: { type: 'string' } },
};

function basic(): VendorProfile {
  const document = documentOf('basic');
  return {
    vendor: 'basic',
    document,
    operations: [
      {
        method: 'POST',
        template: '/project/{id}/key',
        body: requestSchema(document, '/project/{id}/key'),
        creates: true,
      },
      { method: 'GET', template: '/project/{id}/key' },
      { method: 'GET', template: '/project/{id}/key/{key_id}' },
      { method: 'DELETE', template: '/project/{id}/key/{key_id}' },
      { method: 'POST', template: '/project/{id}/key/verify', body: KEY_VIEW },
    ],
    demoSecret: 'bsk_kfdemo03BasicDemoKey00000000000000000000',
    demoParams: { id: '0d3e5b1a-7c44-4f0e-9b2a-5a51c0de0001' },
    schemes: { accepted: ['Bearer', 'bearer'], refused: 'Api-Key' },
    createdKey: (body) => ({ secret: (body.key as Json).value as string, id: (body.key as Json).id as string }),
  };
}

export const PROFILES: Record<DifferentialVendor, () => VendorProfile> = { baseten, imtegrate, basic };

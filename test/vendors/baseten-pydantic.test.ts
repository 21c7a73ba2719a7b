// Baseten's schema is pydantic-generated: each 422 below is written out literally, byte for
// byte, as FastAPI + pydantic v2 would send it for CreateAPIKeyRequestV1.
import { describe, expect, it } from 'vitest';
import { useTestApp, vendorCall } from '../helper.js';

const DEMO_KEY = 'kfdemo01.BasetenDemoKey000000000000000000';
const ENUM_CHOICES = "'PERSONAL', 'WORKSPACE_MANAGE_ALL', 'WORKSPACE_EXPORT_METRICS' or 'WORKSPACE_INVOKE'";

const cases: Array<[string, { contentType?: string; payload?: string }, string]> = [
  [
    'type is missing',
    { payload: '{"name":"k"}' },
    '{"detail":[{"type":"missing","loc":["body","type"],"msg":"Field required","input":{"name":"k"}}]}',
  ],
  [
    'type is not one of the enum',
    { payload: '{"type":"ADMIN"}' },
    `{"detail":[{"type":"enum","loc":["body","type"],"msg":"Input should be ${ENUM_CHOICES}","input":"ADMIN","ctx":{"expected":"${ENUM_CHOICES}"}}]}`,
  ],
  [
    'name is not a string',
    { payload: '{"name":42,"type":"PERSONAL"}' },
    '{"detail":[{"type":"string_type","loc":["body","name"],"msg":"Input should be a valid string","input":42}]}',
  ],
  [
    'model_ids is not a list',
    { payload: '{"type":"WORKSPACE_INVOKE","model_ids":"abc"}' },
    '{"detail":[{"type":"list_type","loc":["body","model_ids"],"msg":"Input should be a valid list","input":"abc"}]}',
  ],
  [
    'a model id is not a string',
    { payload: '{"type":"WORKSPACE_INVOKE","model_ids":["ok",7]}' },
    '{"detail":[{"type":"string_type","loc":["body","model_ids",1],"msg":"Input should be a valid string","input":7}]}',
  ],
  [
    'several fields fail, listed in field order',
    { payload: '{"name":[],"model_ids":{}}' },
    '{"detail":[{"type":"string_type","loc":["body","name"],"msg":"Input should be a valid string","input":[]},' +
      '{"type":"missing","loc":["body","type"],"msg":"Field required","input":{"name":[],"model_ids":{}}},' +
      '{"type":"list_type","loc":["body","model_ids"],"msg":"Input should be a valid list","input":{}}]}',
  ],
  [
    'model_ids is given for a PERSONAL key',
    { payload: '{"type":"PERSONAL","model_ids":["m1"]}' },
    '{"detail":[{"type":"value_error","loc":["body"],"msg":"Value error, model_ids can only be set for WORKSPACE_EXPORT_METRICS or WORKSPACE_INVOKE keys","input":{"type":"PERSONAL","model_ids":["m1"]},"ctx":{"error":{}}}]}',
  ],
  [
    'the JSON is malformed',
    { payload: '{"type": PERSONAL}' },
    '{"detail":[{"type":"json_invalid","loc":["body",9],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}',
  ],
  [
    'the JSON has a trailing comma',
    { payload: '{"type":"PERSONAL",}' },
    '{"detail":[{"type":"json_invalid","loc":["body",18],"msg":"JSON decode error","input":{},"ctx":{"error":"Illegal trailing comma before end of object"}}]}',
  ],
  [
    'the body is empty',
    { payload: '' },
    '{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}',
  ],
  [
    'the body is JSON null',
    { payload: 'null' },
    '{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}',
  ],
  [
    'the body is a JSON array',
    { payload: '["PERSONAL"]' },
    '{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":["PERSONAL"]}]}',
  ],
  [
    'the body is sent as text/plain (FastAPI then does not parse JSON)',
    { contentType: 'text/plain', payload: '{"type":"PERSONAL"}' },
    '{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"{\\"type\\":\\"PERSONAL\\"}"}]}',
  ],
  [
    // email.message reads a Content-Type it cannot parse as text/plain; Fastify alone would answer 415.
    'the Content-Type cannot be parsed at all',
    { contentType: 'garbage', payload: '{"type":"PERSONAL"}' },
    '{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"{\\"type\\":\\"PERSONAL\\"}"}]}',
  ],
];

describe('Baseten 422 bodies match FastAPI + pydantic v2 byte for byte', () => {
  const app = useTestApp();

  it.each(cases)('when %s', async (_when, { contentType = 'application/json', payload }, expected) => {
    const res = await vendorCall(app(), 'baseten', {
      method: 'POST',
      url: '/v1/api_keys',
      headers: { authorization: `Api-Key ${DEMO_KEY}`, 'content-type': contentType },
      ...(payload === undefined ? {} : { payload }),
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toBe(expected);
  });

  it('answers 400 {"detail":…} when the body is not valid UTF-8, as Starlette does', async () => {
    const res = await vendorCall(app(), 'baseten', {
      method: 'POST',
      url: '/v1/api_keys',
      headers: { authorization: `Api-Key ${DEMO_KEY}`, 'content-type': 'application/json' },
      payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe('{"detail":"There was an error parsing the body"}');
  });
});

// Imtegrate is a FastAPI service, so its 422s must be byte for byte what FastAPI 0.142 +
// pydantic 2.13 send. Every expected body below was produced by pydantic 2.13.4 itself
// (pydantic-core 2.46.4) for `ApiKeyCreate` and for a `UUID` path parameter, wrapped the way
// FastAPI wraps them (loc prefixed with "body"/"path", no url, json.dumps with compact
// separators and ensure_ascii=False), then written down literally.
import { describe, expect, it } from 'vitest';
import { parseUuid, pydanticDateTime, uuidParseError } from '../../src/frameworks/fastapi/pydantic-types.js';
import { useTestApp, vendorCall } from '../helper.js';

const DEMO = 'imt_test_kfdemo05_ImtegrateDemoToken00000000000000';
const LONG = 'a'.repeat(121);

const BODY_CASES: Array<[when: string, request: { contentType?: string; payload?: string }, expected: string]> = [
  [
    'name is missing',
    { payload: '{"scopes":[]}' },
    '{"detail":[{"type":"missing","loc":["body","name"],"msg":"Field required","input":{"scopes":[]}}]}',
  ],
  [
    'name is missing and a misspelt field is ignored',
    { payload: '{"nme":"typo"}' },
    '{"detail":[{"type":"missing","loc":["body","name"],"msg":"Field required","input":{"nme":"typo"}}]}',
  ],
  [
    'name has one character',
    { payload: '{"name":"a"}' },
    '{"detail":[{"type":"string_too_short","loc":["body","name"],"msg":"String should have at least 2 characters","input":"a","ctx":{"min_length":2}}]}',
  ],
  [
    'name is one emoji (one code point, two UTF-16 units)',
    { payload: '{"name":"😀"}' },
    '{"detail":[{"type":"string_too_short","loc":["body","name"],"msg":"String should have at least 2 characters","input":"😀","ctx":{"min_length":2}}]}',
  ],
  [
    'name is empty',
    { payload: '{"name":""}' },
    '{"detail":[{"type":"string_too_short","loc":["body","name"],"msg":"String should have at least 2 characters","input":"","ctx":{"min_length":2}}]}',
  ],
  [
    'name has 121 characters',
    { payload: `{"name":"${LONG}"}` },
    `{"detail":[{"type":"string_too_long","loc":["body","name"],"msg":"String should have at most 120 characters","input":"${LONG}","ctx":{"max_length":120}}]}`,
  ],
  [
    'name is a number',
    { payload: '{"name":42}' },
    '{"detail":[{"type":"string_type","loc":["body","name"],"msg":"Input should be a valid string","input":42}]}',
  ],
  [
    'name is null',
    { payload: '{"name":null}' },
    '{"detail":[{"type":"string_type","loc":["body","name"],"msg":"Input should be a valid string","input":null}]}',
  ],
  [
    'scopes is a string',
    { payload: '{"name":"ci","scopes":"api_keys:write"}' },
    '{"detail":[{"type":"list_type","loc":["body","scopes"],"msg":"Input should be a valid list","input":"api_keys:write"}]}',
  ],
  [
    'scopes is null',
    { payload: '{"name":"ci","scopes":null}' },
    '{"detail":[{"type":"list_type","loc":["body","scopes"],"msg":"Input should be a valid list","input":null}]}',
  ],
  [
    'scopes is an object',
    { payload: '{"name":"ci","scopes":{}}' },
    '{"detail":[{"type":"list_type","loc":["body","scopes"],"msg":"Input should be a valid list","input":{}}]}',
  ],
  [
    'two scopes are not strings (each item listed)',
    { payload: '{"name":"ci","scopes":[1,"ok",true]}' },
    '{"detail":[{"type":"string_type","loc":["body","scopes",0],"msg":"Input should be a valid string","input":1},' +
      '{"type":"string_type","loc":["body","scopes",2],"msg":"Input should be a valid string","input":true}]}',
  ],
  [
    'env is prod',
    { payload: '{"name":"ci","env":"prod"}' },
    '{"detail":[{"type":"string_pattern_mismatch","loc":["body","env"],"msg":"String should match pattern \'^(test|live)$\'","input":"prod","ctx":{"pattern":"^(test|live)$"}}]}',
  ],
  [
    'env is upper case',
    { payload: '{"name":"ci","env":"TEST"}' },
    '{"detail":[{"type":"string_pattern_mismatch","loc":["body","env"],"msg":"String should match pattern \'^(test|live)$\'","input":"TEST","ctx":{"pattern":"^(test|live)$"}}]}',
  ],
  [
    'env ends in a newline ($ does not match before it)',
    { payload: '{"name":"ci","env":"test\\n"}' },
    '{"detail":[{"type":"string_pattern_mismatch","loc":["body","env"],"msg":"String should match pattern \'^(test|live)$\'","input":"test\\n","ctx":{"pattern":"^(test|live)$"}}]}',
  ],
  [
    'env is a number',
    { payload: '{"name":"ci","env":1}' },
    '{"detail":[{"type":"string_type","loc":["body","env"],"msg":"Input should be a valid string","input":1}]}',
  ],
  [
    'env is null',
    { payload: '{"name":"ci","env":null}' },
    '{"detail":[{"type":"string_type","loc":["body","env"],"msg":"Input should be a valid string","input":null}]}',
  ],
  [
    'every field fails, listed in field order',
    { payload: '{"name":"a","scopes":"*","env":"dev"}' },
    '{"detail":[{"type":"string_too_short","loc":["body","name"],"msg":"String should have at least 2 characters","input":"a","ctx":{"min_length":2}},' +
      '{"type":"list_type","loc":["body","scopes"],"msg":"Input should be a valid list","input":"*"},' +
      '{"type":"string_pattern_mismatch","loc":["body","env"],"msg":"String should match pattern \'^(test|live)$\'","input":"dev","ctx":{"pattern":"^(test|live)$"}}]}',
  ],
  [
    'name is missing and env is wrong',
    { payload: '{"env":"x"}' },
    '{"detail":[{"type":"missing","loc":["body","name"],"msg":"Field required","input":{"env":"x"}},' +
      '{"type":"string_pattern_mismatch","loc":["body","env"],"msg":"String should match pattern \'^(test|live)$\'","input":"x","ctx":{"pattern":"^(test|live)$"}}]}',
  ],
  [
    'the JSON is malformed',
    { payload: '{"name": ci-key}' },
    '{"detail":[{"type":"json_invalid","loc":["body",9],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}',
  ],
  [
    // CPython 3.13 wording, as keyforge's JSON decoder emulates (3.11 says "Expecting property name enclosed in double quotes" at 13).
    'the JSON has a trailing comma',
    { payload: '{"name":"ci",}' },
    '{"detail":[{"type":"json_invalid","loc":["body",12],"msg":"JSON decode error","input":{},"ctx":{"error":"Illegal trailing comma before end of object"}}]}',
  ],
  [
    'the body is empty',
    { payload: '' },
    '{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}',
  ],
  ['there is no body at all', {}, '{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}'],
  [
    'the body is JSON null',
    { payload: 'null' },
    '{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}',
  ],
  [
    'the body is a JSON array',
    { payload: '["ci"]' },
    '{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":["ci"]}]}',
  ],
  [
    'the body is a JSON string',
    { payload: '"ci-key"' },
    '{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"ci-key"}]}',
  ],
  [
    'the body is a JSON number',
    { payload: '7' },
    '{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":7}]}',
  ],
  [
    'JSON is sent as text/plain (FastAPI hands pydantic the raw text)',
    { contentType: 'text/plain', payload: '{"name":"ci-key"}' },
    '{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"{\\"name\\":\\"ci-key\\"}"}]}',
  ],
  [
    'plain text is sent',
    { contentType: 'text/plain', payload: 'hello' },
    '{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"hello"}]}',
  ],
];

/** [path id, the uuid crate's error as pydantic 2.13.4 reports it]. */
const UUID_ERRORS: ReadonlyArray<readonly [string, string]> = [
  ['x', 'invalid character: found `x` at 1'],
  ['123', 'invalid length: expected length 32 for simple format, found 3'],
  ['', 'invalid length: expected length 32 for simple format, found 0'],
  ['xx', 'invalid character: found `x` at 1'],
  ['é', 'invalid character: found `é` at 1'],
  ['aé', 'invalid character: found `é` at 2'],
  ['😀', 'invalid character: found `😀` at 1'],
  ['a b', 'invalid character: found ` ` at 2'],
  ['{', 'invalid character: found `{` at 1'],
  ['{}', 'invalid group count: expected 5, found 1'],
  ['{x}', 'invalid character: found `x` at 2'],
  ['{é}', 'invalid character: found `é` at 2'],
  ['{-}', 'invalid group count: expected 5, found 2'],
  ['urn:uuid:', 'invalid group count: expected 5, found 1'],
  ['urn:uuid:x', 'invalid character: found `x` at 10'],
  ['urn:uuid:é', 'invalid character: found `é` at 10'],
  ['URN:UUID:00000000-0000-0000-0000-000000000000', 'invalid character: found `U` at 1'],
  ['0000000x-0000-0000-0000-00000000000y', 'invalid character: found `x` at 8'],
  ['0000000000000000000000000000000g', 'invalid character: found `g` at 32'],
  ['12345678123456781234567812345678a', 'invalid length: expected length 32 for simple format, found 33'],
  ['0000000-0000-0000-0000-000000000000', 'invalid group length in group 0: expected 8, found 7'],
  ['00000000-000-00000-0000-000000000000', 'invalid group length in group 1: expected 4, found 3'],
  ['00000000-0000-0000-00000-00000000000', 'invalid group length in group 3: expected 4, found 5'],
  ['00000000-0000-0000-0000', 'invalid group count: expected 5, found 4'],
  ['00000000-0000-0000-0000-00000000000', 'invalid group length in group 4: expected 12, found 11'],
  ['00000000-0000-0000-0000-0000000000000', 'invalid group length in group 4: expected 12, found 13'],
  ['00000000-0000-0000-0000-000000000000-', 'invalid group count: expected 5, found 6'],
  ['0-0-0-0-0', 'invalid group length in group 0: expected 8, found 1'],
  ['--------', 'invalid group count: expected 5, found 9'],
  ['{00000000-0000-0000-0000-00000000000g}', 'invalid character: found `g` at 36'],
  ['{00000000-0000-0000-0000-0000000000g}', 'invalid character: found `g` at 36'],
  ['{0é000000-0000-0000-0000-00000000000}', 'invalid character: found `é` at 2'],
  ['{00000000-0000-0000-0000-00000000000é}', 'invalid character: found `é` at 37'],
  ['{000000000000000000000000000000000000}', 'invalid length: expected length 32 for simple format, found 36'],
  ['{0000000000000000000000000000000x}', 'invalid character: found `x` at 33'],
  ['{00000000-0000-0000-0000-00000000000}', 'invalid group length in group 4: expected 12, found 13'],
  ['{00000000-0000-0000-0000-0000000000000}', 'invalid group length in group 4: expected 12, found 15'],
  ['urn:uuid:0000000g-0000-0000-0000-000000000000', 'invalid character: found `g` at 8'],
  ['urn:uuid:000000000000000000000000000000000000', 'invalid length: expected length 32 for simple format, found 36'],
  ['urn:uuid:00000000-0000-0000-0000-0000000000000', 'invalid group length in group 4: expected 12, found 22'],
  ['urn:uuid:00000000-0000-0000-00000000-00000', 'invalid group length in group 3: expected 4, found 8'],
  ['urn:uuid:{00000000-0000-0000-0000-000000000000}', 'invalid character: found `{` at 10'],
  ['00000000-0000-0000-0000-000000000000 ', 'invalid character: found ` ` at 37'],
];

describe('Imtegrate 422 bodies match FastAPI + pydantic v2 byte for byte', () => {
  const app = useTestApp();

  it.each(BODY_CASES)(
    'POST /v1/api-keys when %s',
    async (_when, { contentType = 'application/json', payload }, expected) => {
      const res = await vendorCall(app(), 'imtegrate', {
        method: 'POST',
        url: '/v1/api-keys',
        headers: { authorization: `Bearer ${DEMO}`, 'content-type': contentType },
        ...(payload === undefined ? {} : { payload }),
      });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.body).toBe(expected);
    },
  );

  it.each([
    ['x', 'invalid character: found `x` at 1'],
    ['123', 'invalid length: expected length 32 for simple format, found 3'],
    ['0000000-0000-0000-0000-000000000000', 'invalid group length in group 0: expected 8, found 7'],
  ])('POST /v1/api-keys/%s/revoke answers 422 uuid_parsing at ["path","id"]', async (id, error) => {
    const res = await app().inject({
      method: 'POST',
      url: `/v1/api-keys/${id}/revoke`,
      headers: { authorization: `Bearer ${DEMO}` },
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toBe(
      `{"detail":[{"type":"uuid_parsing","loc":["path","id"],"msg":"Input should be a valid UUID, ${error}","input":"${id}","ctx":{"error":"${error}"}}]}`,
    );
  });

  it('decodes a percent-encoded path id before explaining it, as Starlette does', async () => {
    const res = await app().inject({
      method: 'POST',
      url: '/v1/api-keys/a%C3%A9/revoke',
      headers: { authorization: `Bearer ${DEMO}` },
    });
    expect(res.json().detail[0]).toMatchObject({ input: 'aé', ctx: { error: 'invalid character: found `é` at 2' } });
  });
});

describe('pydantic UUID parsing (the uuid crate behind pydantic-core)', () => {
  it.each(UUID_ERRORS)('explains %j as pydantic does', (input, error) => {
    expect(parseUuid(input)).toBeNull();
    expect(uuidParseError(input)).toBe(error);
  });

  it.each([
    ['01234567-89ab-cdef-0123-456789abcdef'],
    ['0123456789ABCDEF0123456789abcdef'],
    ['{01234567-89AB-CDEF-0123-456789abcdef}'],
    ['urn:uuid:01234567-89ab-cdef-0123-456789abcdef'],
  ])('accepts %s and reads it as the canonical lower-case hyphenated UUID', (input) => {
    expect(parseUuid(input)).toBe('01234567-89ab-cdef-0123-456789abcdef');
  });
});

describe('pydantic datetime JSON form', () => {
  it.each([
    [1767225600000, '2026-01-01T00:00:00Z'],
    [1767225600123, '2026-01-01T00:00:00.123000Z'],
    [1767225600120, '2026-01-01T00:00:00.120000Z'],
    [1767225600001, '2026-01-01T00:00:00.001000Z'],
  ])('prints %i ms as %s (Z for UTC, six fraction digits, none on a whole second)', (ms, expected) => {
    expect(pydanticDateTime(new Date(ms))).toBe(expected);
  });
});

// How Baseten and Imtegrate read a body and write it back in a 422, as stock FastAPI 0.142 with
// pydantic 2.13 does (each expected answer here is what the reference app of test/differential/
// answered): json.loads(bytes) reads UTF-16 and UTF-32, numbers are echoed as Python spells
// them, and only a JSON Content-Type is parsed as JSON.
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helper.js';

const app = useTestApp();
const IMTEGRATE = { authorization: 'Bearer imt_test_kfdemo05_ImtegrateDemoToken00000000000000' };
const BASETEN = { authorization: 'Api-Key kfdemo01.BasetenDemoKey000000000000000000' };
const JSON_TYPE = { 'content-type': 'application/json' };

const imtegrate = (payload: string | Buffer, headers: Record<string, string> = JSON_TYPE) =>
  app().inject({ method: 'POST', url: '/v1/api-keys', headers: { ...IMTEGRATE, ...headers }, payload });
const baseten = (payload: string | Buffer, headers: Record<string, string> = JSON_TYPE) =>
  app().inject({ method: 'POST', url: '/v1/api_keys', headers: { ...BASETEN, ...headers }, payload });
const notAString = (input: string) =>
  `{"detail":[{"type":"string_type","loc":["body","name"],"msg":"Input should be a valid string","input":${input}}]}`;

describe('numbers echoed as Python writes them (issue 24, item 4)', () => {
  it.each([
    ['0.0', '0.0'],
    ['-0.0', '-0.0'],
    ['1e16', '1e+16'],
    ['2e-7', '2e-07'],
    ['9007199254740993', '9007199254740993'],
    ['12345678901234567890', '12345678901234567890'],
    ['1e2', '100.0'],
    ['1e15', '1000000000000000.0'],
    ['0.0001', '0.0001'],
    ['1e-5', '1e-05'],
    ['5e-324', '5e-324'],
    ['-0', '0'],
    ['1.5', '1.5'],
  ])('echoes %s as %s', async (token, echoed) => {
    const res = await imtegrate(`{"name":${token}}`);
    expect(res.statusCode).toBe(422);
    expect(res.body).toBe(notAString(echoed));
  });

  it('echoes them inside the whole body a missing field shows, and in every item', async () => {
    const res = await imtegrate('{"scopes":[1e2,-0.0,1e-5,1.5e300,123.456e-10]}');
    expect(res.json().detail[0]).toEqual({
      type: 'missing',
      loc: ['body', 'name'],
      msg: 'Field required',
      input: { scopes: [100, -0, 1e-5, 1.5e300, 123.456e-10] },
    });
    expect(res.body).toContain('"input":{"scopes":[100.0,-0.0,1e-05,1.5e+300,1.23456e-08]}');
    expect(res.body).toContain('"loc":["body","scopes",4],"msg":"Input should be a valid string","input":1.23456e-08}');
  });

  it('echoes an enum miss of Baseten’s type with every digit', async () => {
    const res = await baseten('{"type":9007199254740993}');
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('"input":9007199254740993,');
  });

  it('leaves a client string that looks like a number alone', async () => {
    const res = await imtegrate('{"name":1e16,"scopes":"1e16"}');
    expect(res.body).toContain('"input":1e+16}');
    expect(res.body).toContain('"input":"1e16"}');
  });
});

describe('bodies in UTF-16 and UTF-32, as json.loads(bytes) detects them (issue 24, item 5)', () => {
  const body = '{"type":"PERSONAL","name":"Grüße 😀"}';
  const utf32 = (text: string, bigEndian: boolean) => {
    const points = [...text].map((c) => c.codePointAt(0)!);
    const out = Buffer.alloc(points.length * 4);
    points.forEach((p, i) => (bigEndian ? out.writeUInt32BE(p, i * 4) : out.writeUInt32LE(p, i * 4)));
    return out;
  };
  it.each([
    ['UTF-16LE', Buffer.from(body, 'utf16le')],
    ['UTF-16BE', Buffer.from(body, 'utf16le').swap16()],
    ['UTF-16 with a BOM', Buffer.from(`\ufeff${body}`, 'utf16le')],
    ['UTF-32LE', utf32(body, false)],
    ['UTF-32BE', utf32(body, true)],
    ['UTF-32 with a BOM', utf32(`\ufeff${body}`, true)],
  ])('creates a key from a %s body', async (_what, payload) => {
    const res = await baseten(payload);
    expect(res.statusCode).toBe(200);
    const list = await app().inject({ url: '/v1/api_keys', headers: BASETEN });
    expect(list.json().keys.at(-1).name).toBe('Grüße 😀');
  });

  it('answers 400 to a UTF-16 body cut in the middle of a code unit', async () => {
    const res = await baseten(Buffer.concat([Buffer.from(body, 'utf16le'), Buffer.from('x')]));
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe('{"detail":"There was an error parsing the body"}');
  });

  it('reports a decode error at its position in the decoded text', async () => {
    const res = await baseten(Buffer.from('{"type":"P"', 'utf16le'));
    expect(res.body).toBe(
      '{"detail":[{"type":"json_invalid","loc":["body",11],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting \',\' delimiter"}}]}',
    );
  });

  it('reads a surrogate written in UTF-8 as a lone surrogate (surrogatepass), not as undecodable', async () => {
    const res = await imtegrate(Buffer.from('{"name":"\xed\xa0\x80"}', 'latin1'));
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: 'string_too_short', input: '\ud800' });
  });

  it('reads a second UTF-8 BOM as the text’s first character', async () => {
    const res = await baseten(Buffer.from('\xef\xbb\xbf\xef\xbb\xbf{}', 'latin1'));
    expect(res.body).toBe(
      '{"detail":[{"type":"json_invalid","loc":["body",0],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}',
    );
  });
});

describe('only a JSON Content-Type is read as JSON (FastAPI’s strict_content_type)', () => {
  const asText = (input: string) =>
    `{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":${input}}]}`;
  it.each([
    ['no Content-Type', {}],
    ['an empty Content-Type', { 'content-type': '' }],
  ])('hands a body with %s to pydantic as text', async (_what, headers) => {
    const res = await baseten('{"type":"PERSONAL"}', headers);
    expect(res.statusCode).toBe(422);
    expect(res.body).toBe(asText('"{\\"type\\":\\"PERSONAL\\"}"'));
  });

  it('keeps a UTF-8 BOM in the text it echoes', async () => {
    const res = await baseten(Buffer.from('\xef\xbb\xbf{"a":1}', 'latin1'), { 'content-type': 'text/plain' });
    expect(res.body).toBe(asText('"\ufeff{\\"a\\":1}"'));
  });
});

describe('a body that is neither JSON nor UTF-8', () => {
  it('is refused only once there is something to echo: a missing credential is still 401', async () => {
    const res = await app().inject({ method: 'POST', url: '/v1/api_keys', payload: Buffer.from([0xff]) });
    expect(res.statusCode).toBe(401);
  });

  it('answers 400 where FastAPI’s echo of it fails with a 500', async () => {
    const res = await baseten(Buffer.from([0xff]), {});
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe('{"detail":"There was an error parsing the body"}');
  });
});

import { describe, expect, it } from 'vitest';
import { redactedHeaderLines, redactText } from '../../src/pipeline/redaction.js';
import { DIALECTS } from '../../src/vendors/index.js';

describe('redactText', () => {
  for (const dialect of DIALECTS) {
    it(`redacts ${dialect.name} keys anywhere in a text, and leaves other text alone`, () => {
      const format = dialect.keyFormat;
      const [first, second] = [format.generate(), format.generate()];
      const text = JSON.stringify({
        detail: [{ msg: 'Input should be a valid string', input: { api_key: first, note: `see ${second}.` } }],
      });
      const redacted = redactText(text, format);
      expect(redacted).not.toContain(first);
      expect(redacted).not.toContain(second);
      expect(redacted.match(/\[redacted\]/g)).toHaveLength(2);
      const plain =
        '{"detail":[{"type":"string_type","loc":["body","name"],"msg":"Input should be a valid string.","input":5}]}';
      expect(redactText(plain, format)).toBe(plain);
    });
  }

  it('redacts JWTs whatever the vendor', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    expect(redactText(`token=${jwt}`, undefined)).toBe('token=[redacted]');
  });
});

describe('redactedHeaderLines', () => {
  it('keeps names as written and redacts secret headers, keeping the auth scheme', () => {
    const lines = redactedHeaderLines([
      'Host',
      'x',
      'Authorization',
      'Api-Key abc.def',
      'X-API-Key',
      'k',
      'Cookie',
      'a=b',
      'Accept',
      '*/*',
    ]);
    expect(lines.split('\n')).toEqual([
      'Host',
      'x',
      'Authorization',
      'Api-Key [redacted]',
      'X-API-Key',
      '[redacted]',
      'Cookie',
      '[redacted]',
      'Accept',
      '*/*',
    ]);
  });
});

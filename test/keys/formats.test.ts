import { describe, expect, it } from 'vitest';
import { dottedFormat, prefixedFormat, randomBase62, underscoredFormat, uuidFormat } from '../../src/keys/formats.js';

describe('key formats', () => {
  it('draws base62 of the asked length, every character reachable', () => {
    const sample = randomBase62(20_000);
    expect(sample).toMatch(/^[0-9A-Za-z]{20000}$/);
    expect(new Set(sample).size).toBe(62);
  });

  it.each([
    ['dotted 8.32 (Baseten, Peaka)', dottedFormat(8, 32), /^([0-9A-Za-z]{8})\.[0-9A-Za-z]{32}$/],
    ['prefixed bsk_ (Basic)', prefixedFormat('bsk_', 40, 8), /^bsk_([0-9A-Za-z]{8})[0-9A-Za-z]{32}$/],
    [
      'underscored imt_test (Imtegrate)',
      underscoredFormat('imt_test', 8, 32),
      /^(imt_test_[0-9A-Za-z]{8})_[0-9A-Za-z]{32}$/,
    ],
    ['uuid (Bytebeam)', uuidFormat(8), /^([0-9a-f]{8})-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/],
  ])('%s: generates its shape and names it by its lookup id', (_name, format, shape) => {
    const secrets = Array.from({ length: 200 }, () => format.generate());
    expect(new Set(secrets).size).toBe(200);
    for (const secret of secrets) {
      const match = shape.exec(secret);
      expect(match, secret).not.toBeNull();
      expect(format.lookupId(secret)).toBe(match![1]);
    }
  });

  it('refuses strings of another shape', () => {
    const dotted = dottedFormat(8, 32);
    for (const bad of [
      '',
      'abc',
      'abcdefgh.short',
      `abcdefg.${'x'.repeat(32)}`,
      `abcdefgh.${'x'.repeat(32)} `,
      `abcdefgh-${'x'.repeat(32)}`,
    ]) {
      expect(dotted.lookupId(bad)).toBeNull();
    }
    expect(uuidFormat(8).lookupId('6F9619FF-8B86-D011-B42D-00C04FC964FF')).toBeNull();
    expect(prefixedFormat('bsk_', 40, 8).lookupId(`bsk_${'a'.repeat(39)}`)).toBeNull();
  });
});

describe('format patterns', () => {
  it.each([
    ['dotted', dottedFormat(8, 32)],
    ['prefixed', prefixedFormat('bsk_', 40, 8)],
    ['underscored', underscoredFormat('imt_live', 8, 32)],
    ['uuid', uuidFormat(8)],
  ])('%s: finds secrets inside text for redaction', (_name, format) => {
    const a = format.generate();
    const b = format.generate();
    const text = `{"key":"${a}","other":"${b}"}`;
    expect(text.replace(format.pattern, '[redacted]')).toBe('{"key":"[redacted]","other":"[redacted]"}');
  });
});

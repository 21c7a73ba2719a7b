// keyforge's replacements for the two plain objects transit-js keys by wire strings
// (src/vendors/bytebeam/transit-cache.ts). These tests fail loudly when a transit-js upgrade
// changes what they rely on: the writer's cache option, its cache codes, the decoder's table.
import transit from 'transit-js';
import { describe, expect, it } from 'vitest';
import { transitDecoder, WriteCache } from '../../src/vendors/bytebeam/transit-cache.js';

/** A document with more cacheable keys than transit's 44 × 44 codes, each used twice. */
function largeDocument(): unknown {
  const keys = Array.from({ length: 2_500 }, (_, i) => transit.keyword(`field-${i}`));
  return keys.map((key, i) =>
    transit.map([key, i, transit.keyword('shared'), transit.keyword(`value-${i % 50}`), key, 'again']),
  );
}

describe("transit-js's writer cache, replaced by a Map", () => {
  it('writes the same bytes as transit-js with its own cache, cache codes and their roll-over included', () => {
    const own = transit.writer('json');
    const ours = transit.writer('json', { cache: new WriteCache() });
    for (const value of [
      largeDocument(),
      transit.map([transit.keyword('role'), 'admin', 'name', transit.keyword('role')]),
      [transit.keyword('abcd'), transit.keyword('abcd')],
    ]) {
      expect(ours.write(value)).toBe(own.write(value));
      expect(ours.write(value, { marshalTop: false })).toEqual(own.write(value, { marshalTop: false }));
    }
  });

  it('writes keys named like prototype members as ordinary keys', () => {
    const ours = transit.writer('json', { cache: new WriteCache() });
    const map = transit.map([
      '__proto__',
      1,
      'constructor',
      2,
      'toString',
      3,
      '__proto__x',
      ['__proto__', 'constructor'],
    ]);
    expect(ours.write([map, map])).toBe(
      '[["^ ","__proto__",1,"constructor",2,"toString",3,"__proto__x",["__proto__","constructor"]],["^ ","^0",1,"^1",2,"^2",3,"^3",["__proto__","constructor"]]]',
    );
  });

  it("still finds transit-js's own cache unsafe (when this fails, upstream fixed it: transit-cache.ts can go)", () => {
    // With the built-ins locked (test/lock-prototypes.ts) the write onto Object.prototype.toString
    // throws. "__proto__" no longer shows it here: the suite, like the server, runs without the
    // __proto__ accessor (src/disable-proto.ts), which every other user of transit-js has.
    expect(() => transit.writer('json').write(transit.map(['toString', 1]))).toThrow(TypeError);
    expect(() => transit.writer('json').write(transit.map(['constructor', 1]))).toThrow(TypeError);
  });
});

describe("transit-js's decoder, with a prototype-free handler table", () => {
  it('reads a tag named like a prototype member as a tagged value of its own', () => {
    const decoder = transitDecoder({});
    for (const tag of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const value = decoder.decode([`~#${tag}`, 'x'], transit.readCache()) as { tag: string; rep: unknown };
      expect(transit.isTaggedValue(value), tag).toBe(true);
      expect([value.tag, value.rep]).toEqual([tag, 'x']);
    }
  });

  it('keeps the handlers it was given and transit-js its own', () => {
    const decoder = transitDecoder({ u: () => 'a uuid' });
    expect(decoder.decode(['~#u', 'x'], transit.readCache())).toBe('a uuid');
    expect(transit.isKeyword(decoder.decode('~:name', transit.readCache()))).toBe(true);
  });
});

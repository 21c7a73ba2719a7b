import { describe, expect, it } from 'vitest';
import { VerifiedCache } from '../../src/keys/cache.js';

const principal = (id: string) => ({ id });

describe('VerifiedCache', () => {
  it('keeps recently used entries when full, and evicts the oldest unused one', () => {
    const cache = new VerifiedCache<{ id: string }>(2);
    const [a, b, c] = ['a', 'b', 'c'].map((s) => cache.digest('baseten', `secret-${s}`)) as [string, string, string];
    cache.set(a, principal('a'));
    cache.set(b, principal('b'));
    expect(cache.get(a)).toEqual({ id: 'a' });
    cache.set(c, principal('c'));
    expect(cache.size).toBe(2);
    expect(cache.get(b)).toBeUndefined();
    expect(cache.get(a)).toEqual({ id: 'a' });
    expect(cache.get(c)).toEqual({ id: 'c' });
  });

  it('evicts the oldest entry when every entry was used', () => {
    const cache = new VerifiedCache<{ id: string }>(2);
    const [a, b, c] = ['a', 'b', 'c'].map((s) => cache.digest('baseten', `secret-${s}`)) as [string, string, string];
    cache.set(a, principal('a'));
    cache.set(b, principal('b'));
    cache.get(a);
    cache.get(b);
    cache.set(c, principal('c'));
    expect([cache.get(a), cache.get(b), cache.get(c)]).toEqual([undefined, { id: 'b' }, { id: 'c' }]);
  });

  it('evicts by key id, and digests differ by vendor and secret', () => {
    const cache = new VerifiedCache<{ id: string }>(10);
    const digest = cache.digest('baseten', 'secret');
    expect(cache.digest('peaka', 'secret')).not.toBe(digest);
    expect(cache.digest('baseten', 'secret2')).not.toBe(digest);
    cache.set(digest, principal('k1'));
    cache.evict('k1');
    expect(cache.get(digest)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

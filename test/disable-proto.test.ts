// The keyforge process runs without the Object.prototype.__proto__ accessor (src/disable-proto.ts),
// removed before any library is evaluated; the suite runs so too (test/lock-prototypes.ts). A
// client's "__proto__" is then an ordinary key for a plain {}.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/process.js';

const exec = promisify(execFile);
/** Loaded ahead of the entry: says, as the process exits, whether Object.prototype still has the accessor. */
const PROBE = `data:text/javascript,process.on('exit', () => console.log('accessor:', Object.hasOwn(Object.prototype, '__proto__')))`;

describe('the __proto__ accessor', () => {
  it('is gone from the server process, from source and from the built bundle', async () => {
    for (const entry of [['--import', 'tsx', 'src/server.ts'], ['dist/start.cjs']]) {
      const { stdout } = await exec(process.execPath, ['--import', PROBE, ...entry, '--help'], { cwd: ROOT });
      expect(stdout, entry.join(' ')).toContain('Usage: keyforge');
      expect(stdout.trim().split('\n').at(-1), entry.join(' ')).toBe('accessor: false');
    }
  });

  it('goes before any library: it is the entry’s first import', () => {
    const imports = readFileSync(join(ROOT, 'src/server.ts'), 'utf8').match(/^import .*$/gm)!;
    expect(imports[0]).toBe("import './disable-proto.js';");
  });

  it('is gone in the tests too, so a "__proto__" key is an own property of a plain object', () => {
    expect(Object.getOwnPropertyDescriptor(Object.prototype, '__proto__')).toBeUndefined();
    const cache: Record<string, unknown> = {};
    expect(cache['__proto__']).toBeUndefined();
    cache['__proto__'] = { admin: true };
    expect(Object.keys(cache)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(cache)).toBe(Object.prototype);
    // Literals and the functions still set and read prototypes.
    expect(Object.getPrototypeOf({ __proto__: null })).toBeNull();
  });
});

// The import rules each src/ folder's README states, checked: a folder imports only what its
// README allows (vendor folders never each other, nothing outside src/db/ an engine, http/ and
// frameworks/ nothing vendor-specific).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

/** Where each folder's files may import from (paths under src/; a trailing slash is a folder). */
const ALLOWED: Record<string, string[]> = {
  admin: [
    'keys/',
    'bootstrap/',
    'pipeline/',
    'http/',
    'docs/settings.ts',
    'vendors/index.ts',
    'vendors/dialect.ts',
    'expected-error.ts',
    'version.ts',
  ],
  bootstrap: ['keys/', 'vendors/dialect.ts', 'config.ts'],
  console: ['http/', 'paths.ts'],
  db: ['expected-error.ts', 'paths.ts'],
  docs: ['vendors/index.ts', 'vendors/dialect.ts', 'admin/document.ts', 'bootstrap/', 'http/', 'version.ts'],
  frameworks: ['http/', 'keys/errors.ts', 'expected-error.ts'],
  http: ['expected-error.ts'],
  keys: ['db/key-store.ts', 'db/shared-state.ts', 'db/errors.ts', 'expected-error.ts', 'paths.ts'],
  logging: [],
  pipeline: [
    'db/shared-state.ts',
    'http/',
    'keys/formats.ts',
    'vendors/index.ts',
    'vendors/dialect.ts',
    'expected-error.ts',
  ],
  vendors: [
    'frameworks/',
    'http/',
    'keys/',
    'db/key-store.ts',
    'db/errors.ts',
    'docs/settings.ts',
    'vendors/dialect.ts',
    'expected-error.ts',
  ],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : /\.c?ts$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The folder a file counts as: its top folder, or its vendor's or framework's own folder. */
function home(path: string): string {
  const parts = path.split('/');
  return (parts[0] === 'vendors' || parts[0] === 'frameworks') && parts.length > 2
    ? `${parts[0]}/${parts[1]}/`
    : `${parts[0]}/`;
}

function violations(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file);
    const top = from.split('/')[0]!;
    const rules = ALLOWED[top];
    if (!rules || !from.includes('/')) continue; // app.ts, server.ts, index.ts wire everything
    // vendors/index.ts and vendors/dialect.ts list and describe the dialects.
    if (from === 'vendors/index.ts' || from === 'vendors/dialect.ts') continue;
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const target = relative(SRC, normalize(join(dirname(file), spec!))).replace(/\.c?js$/, '.ts');
      if (target.startsWith(home(from)) || (home(from) === `${top}/` && target.startsWith(`${top}/`))) continue;
      if (!rules.some((allowed) => (allowed.endsWith('/') ? target.startsWith(allowed) : target === allowed)))
        found.push(`${from} imports ${target}`);
    }
  }
  return found;
}

describe('the layout of src/', () => {
  it('keeps every folder to the imports its README allows', () => {
    expect(violations()).toEqual([]);
  });

  it('opens every top folder with a README', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    for (const folder of folders) expect(readdirSync(join(SRC, folder.name)), folder.name).toContain('README.md');
    expect(folders.map((f) => f.name).sort()).toEqual(Object.keys(ALLOWED).sort());
  });
});

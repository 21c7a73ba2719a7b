// Where keyforge's own files are. This module sits one level below the package root in every
// form keyforge runs in (src/paths.ts under tsx, dist/paths.js, and the dist/keyforge.bundle.cjs
// bundle), so the package root is one level up from it.
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A path inside the package, e.g. `packagePath('migrations')`. */
export const packagePath = (...segments: string[]): string =>
  [PACKAGE_ROOT.replace(/[\\/]$/, ''), ...segments].join('/');

// The bundle's patches of other packages' sources (scripts/bundle.ts applies them), in one file
// because each relies on a library's internals: a native addon's package finds its compiled
// file from its own folder, which inside the bundle is dist/, so the call that searches is
// rewritten to start from where the package is installed at run time. test/internals.test.ts
// fails when an upgrade changes a call these patches replace; the build fails too.

/** Code that finds `relativePath` inside package `name` at run time, wherever it is installed. */
export function inPackageAtRunTime(name: string, relativePath: string): string {
  return `require('node:path').join(require('node:path').dirname(require.resolve(${JSON.stringify(name)})), ${JSON.stringify(relativePath)})`;
}

/** In `file` of package `name` (relative to its main file), `lookup` becomes `replacement`. */
export interface AddonPatch {
  name: string;
  file: string;
  lookup: string;
  replacement: string;
}

/** Every package with a compiled part the bundle loads (the build refuses one missing here). */
export const ADDON_PATCHES: readonly AddonPatch[] = [
  // node-gyp-build: a build of its own, or a prebuilt binary for this platform.
  {
    name: 'argon2',
    file: 'argon2.cjs',
    lookup: 'gypBuild(__dirname)',
    replacement: `gypBuild(${inPackageAtRunTime('argon2', '.')})`,
  },
  // bindings: the compiled file found from the package's root.
  {
    name: 'better-sqlite3',
    file: 'database.js',
    lookup: "require('bindings')('better_sqlite3.node')",
    replacement: `require('bindings')({ bindings: 'better_sqlite3.node', module_root: ${inPackageAtRunTime('better-sqlite3', '..')} })`,
  },
];

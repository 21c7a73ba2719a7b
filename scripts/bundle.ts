// Build step after `tsc` (part of `npm run build` and `prepare`): bundles dist/server.js and
// its dependencies into one CommonJS file and hashes the demo credentials
// (dist/known-hashes.json), then builds the console page (dist/ui/, scripts/build-console.ts).
// dist/start.cjs (`npm start`, the `keyforge` bin) loads them. No V8 code cache is shipped: one
// is valid only for the Node build that made it (dist/start.cjs lets Node ≥ 22.1 keep its own).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { writeKnownHashes } from '../src/keys/known-hashes.js';
import { packagePath } from '../src/paths.js';
import { ADDON_PATCHES, inPackageAtRunTime, type AddonPatch } from './bundle-patches.js';
import { buildConsole } from './build-console.js';
import { DIALECTS } from '../src/vendors/index.js';

const BUNDLE = packagePath('dist', 'keyforge.bundle.cjs');
const PUBLIC_TYPES = ['index.d.ts', 'public-types.d.ts'];

const { metafile } = await build({
  entryPoints: [packagePath('dist', 'server.js')],
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Less source to read and hash at start-up; identifiers keep their names (stack traces, logs).
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [
    packageDirname('@fastify/swagger-ui'),
    // The addons' JavaScript is bundled too; their compiled .node files are found at run time
    // the way each package finds them (a build of its own, or a prebuilt binary).
    ...ADDON_PATCHES.map(nativeAddon),
  ],
  // import.meta.url becomes the bundle's own URL (src/paths.ts finds the package root from it).
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  // packageDirname resolves a bundled package's folder on purpose.
  logOverride: { 'require-resolve-not-external': 'silent' },
  metafile: true,
});
requireEveryAddonHandled(Object.keys(metafile.inputs));
/** Where a package is installed (its main file's folder, as `require.resolve` finds it). */
function packageRoot(name: string): string {
  return dirname(createRequire(import.meta.url).resolve(name));
}

/** Applies one of bundle-patches.ts's patches to the package's file as esbuild loads it. */
function nativeAddon({ name, file, lookup, replacement }: AddonPatch): Plugin {
  const target = join(packageRoot(name), file);
  return {
    name: `native-addon-${name}`,
    setup(bundler) {
      bundler.onLoad({ filter: /\.c?js$/ }, async ({ path }) => {
        if (path !== target) return undefined;
        const source = await readFile(path, 'utf8');
        if (!source.includes(lookup))
          throw new Error(`${name}: ${file} no longer calls ${lookup}; update scripts/bundle.ts`);
        return { contents: source.replace(lookup, replacement), loader: 'js' };
      });
    },
  };
}

/** A bundled package with a compiled part that nativeAddon does not handle would fail to load it. */
function requireEveryAddonHandled(inputs: string[]): void {
  // An input's package folder: the path up to its last node_modules/<name>/ (scoped or not).
  const roots = new Set(
    inputs
      .map((input) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1])
      .filter((root) => root !== undefined),
  );
  for (const root of roots) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(root)![1]!;
    const native = existsSync(join(root, 'binding.gyp')) || existsSync(join(root, 'prebuilds'));
    if (native && !ADDON_PATCHES.some((patch) => patch.name === name))
      throw new Error(`${name} is a native addon: give it a nativeAddon() in scripts/bundle.ts`);
  }
}

/**
 * Bundled files of `name` keep finding their own folder (Swagger UI serves its static files
 * from it): `__dirname` there is resolved at run time from where the package is installed.
 */
function packageDirname(name: string): Plugin {
  const root = packageRoot(name);
  return {
    name: `dirname-of-${name}`,
    setup(bundler) {
      bundler.onLoad({ filter: /\.js$/ }, async ({ path }) => {
        if (!path.startsWith(root + sep)) return undefined;
        const runtimeDirname = inPackageAtRunTime(name, relative(root, dirname(path)));
        return { contents: (await readFile(path, 'utf8')).replaceAll('__dirname', runtimeDirname), loader: 'js' };
      });
    },
  };
}

await writeKnownHashes(DIALECTS.map((dialect) => dialect.demo.secret));
await buildConsole();
// The code cache earlier builds wrote: start.cjs no longer reads one, and npm pack must not ship it.
rmSync(packagePath('dist', 'keyforge.bundle.cache'), { force: true });
keepPublicTypesOnly();

/**
 * The package's types are dist/index.d.ts and the one file it imports (src/public-types.ts says
 * why); tsc writes a .d.ts for every module, which would ship internals nothing reads.
 */
function keepPublicTypesOnly(): void {
  const dist = packagePath('dist');
  for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
    if (/\.d\.c?ts$/.test(file) && !PUBLIC_TYPES.includes(file)) rmSync(join(dist, file));
  }
}

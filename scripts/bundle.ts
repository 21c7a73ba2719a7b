// Build step after `tsc` (part of `npm run build` and `prepare`): bundles dist/server.js and
// its dependencies into one CommonJS file, hashes the demo credentials (dist/known-hashes.json),
// builds the console page (dist/ui/, scripts/build-console.ts), then runs the bundle once so
// V8's code cache of the start-up path can be saved next to it. dist/start.cjs (`npm start`)
// loads them.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { writeKnownHashes } from '../src/keys/known-hashes.js';
import { packagePath } from '../src/paths.js';
import { buildConsole } from './build-console.js';
import { DIALECTS } from '../src/vendors/index.js';

const BUNDLE = packagePath('dist', 'keyforge.bundle.cjs');
const CODE_CACHE = packagePath('dist', 'keyforge.bundle.cache');

await build({
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
    // The addons' JavaScript is bundled too; only their compiled .node files load from node_modules.
    nativeAddon('argon2', 'argon2.cjs', 'gypBuild(__dirname)', (load) => (load('node-gyp-build') as { resolve(dir: string): string }).resolve(packageRoot('argon2'))),
    nativeAddon('better-sqlite3', 'database.js', "require('bindings')('better_sqlite3.node')", (load) =>
      (load('bindings') as (options: object) => string)({ bindings: 'better_sqlite3.node', path: true, module_root: join(packageRoot('better-sqlite3'), '..') }),
    ),
  ],
  // import.meta.url becomes the bundle's own URL (src/paths.ts finds the package root from it).
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  // packageDirname resolves a bundled package's folder on purpose.
  logOverride: { 'require-resolve-not-external': 'silent' },
});
/** Where a package is installed (its main file's folder, as `require.resolve` finds it). */
function packageRoot(name: string): string {
  return dirname(createRequire(import.meta.url).resolve(name));
}

/** Code that finds `relativePath` inside package `name` at run time, wherever it is installed. */
function inPackageAtRunTime(name: string, relativePath: string): string {
  return `require('node:path').join(require('node:path').dirname(require.resolve(${JSON.stringify(name)})), ${JSON.stringify(relativePath)})`;
}

/**
 * In the bundled `file` of package `name` (relative to its main file), replaces the call that searches for the compiled
 * addon (node-gyp-build, bindings: directory scans at every start) with a require of the file
 * that search finds at build time (`find`, given the package's own require), located relative
 * to the package at run time.
 */
function nativeAddon(name: string, file: string, lookup: string, find: (load: NodeJS.Require) => string): Plugin {
  const target = join(packageRoot(name), file);
  // The package's own lookup helper, as the package itself would load it.
  const addonPath = find(createRequire(target));
  const replacement = `require(${inPackageAtRunTime(name, relative(packageRoot(name), addonPath))})`;
  return {
    name: `native-addon-${name}`,
    setup(bundler) {
      bundler.onLoad({ filter: /\.c?js$/ }, async ({ path }) => {
        if (path !== target) return undefined;
        const source = await readFile(path, 'utf8');
        if (!source.includes(lookup)) throw new Error(`${name}: ${file} no longer calls ${lookup}; update scripts/bundle.ts`);
        return { contents: source.replace(lookup, replacement), loader: 'js' };
      });
    },
  };
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

// Before the warm-up run, so that it (like every start on a new database) finds them.
await writeKnownHashes(DIALECTS.map((dialect) => dialect.demo.secret));
await buildConsole();
rmSync(CODE_CACHE, { force: true });
await warmUp();

/** Starts the bundle, answers a health check and stops it; it writes the code cache on exit. */
async function warmUp(): Promise<void> {
  const child = spawn(process.execPath, [packagePath('dist', 'start.cjs'), '--port', '0', '--host', '127.0.0.1', '--db', ':memory:', '--hash-profile', 'fast', '--log-level', 'silent'], {
    env: { ...process.env, KEYFORGE_WRITE_CODE_CACHE: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`warm-up server exited with ${code}:\n${output}`)));
  });
  const response = await fetch(`${url}/_keyforge/health`);
  if (response.status !== 200) throw new Error(`warm-up health check answered ${response.status}`);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  readFileSync(CODE_CACHE); // fails the build if no cache was written
}

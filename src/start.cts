#!/usr/bin/env node
// `npm start` and the `keyforge` bin. Runs server.ts as one bundled file with V8's code cache
// (both built by scripts/bundle.ts), because start-up is mostly module loading: resolving,
// reading and compiling hundreds of files cost ~0.5 s, the cached bundle a fraction of that.
// Without a bundle (only `tsc` ran) it falls back to dist/server.js.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import vm from 'node:vm';

const BUNDLE = join(__dirname, 'keyforge.bundle.cjs');
const CODE_CACHE = join(__dirname, 'keyforge.bundle.cache');
// V8 takes a code cache made by any Node release of its own version, but Node patches V8 between
// its releases (all of Node 20 reports V8 11.3.244.8) and 20.19.0 crashed on a cache 20.20.2
// made. So the cache begins with a line naming the Node build that made it, the only one to use it.
const NODE_BUILD = Buffer.from(`${JSON.stringify([process.version, process.config])}\n`);

function readCodeCache(): Buffer | undefined {
  if (!existsSync(CODE_CACHE)) return undefined;
  const file = readFileSync(CODE_CACHE);
  return file.subarray(0, NODE_BUILD.length).equals(NODE_BUILD) ? file.subarray(NODE_BUILD.length) : undefined;
}

function runBundle(): void {
  const cachedData = readCodeCache();
  const script = new vm.Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), {
    filename: BUNDLE,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // The build's warm-up run writes the cache on exit: by then the start-up path is compiled.
  if (process.env.KEYFORGE_WRITE_CODE_CACHE === '1') process.once('exit', () => writeFileSync(CODE_CACHE, Buffer.concat([NODE_BUILD, script.createCachedData()])));
  const bundleModule = { exports: {} };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(bundleModule.exports, bundleModule.exports, Module.createRequire(BUNDLE), bundleModule, BUNDLE, __dirname);
}

if (existsSync(BUNDLE)) runBundle();
else void import('./server.js');

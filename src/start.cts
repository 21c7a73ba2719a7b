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

function runBundle(): void {
  const cachedData = existsSync(CODE_CACHE) ? readFileSync(CODE_CACHE) : undefined;
  const script = new vm.Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), {
    filename: BUNDLE,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // The build's warm-up run writes the cache on exit: by then the start-up path is compiled.
  if (process.env.KEYFORGE_WRITE_CODE_CACHE === '1') process.once('exit', () => writeFileSync(CODE_CACHE, script.createCachedData()));
  const bundleModule = { exports: {} };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(bundleModule.exports, bundleModule.exports, Module.createRequire(BUNDLE), bundleModule, BUNDLE, __dirname);
}

if (existsSync(BUNDLE)) runBundle();
else void import('./server.js');

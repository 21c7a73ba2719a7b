#!/usr/bin/env node
// `npm start` and the `keyforge` bin. Runs server.ts as one bundled file (scripts/bundle.ts),
// because start-up is mostly module loading: resolving, reading and compiling hundreds of files
// cost ~0.5 s, the bundle a fraction of that. Without a bundle (only `tsc` ran) it falls back to
// dist/server.js.
import { existsSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';

const BUNDLE = join(__dirname, 'keyforge.bundle.cjs');

// Node ≥ 22.1 keeps V8's compiled code between starts in a cache of its own, valid only for the
// Node build that wrote it (os.tmpdir()/node-compile-cache, or NODE_COMPILE_CACHE). A cache
// shipped in the package would fit one Node build only; Node 20, which has none, compiles the
// bundle at every start. An unwritable cache directory only means no cache.
(Module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// Through require, which Node's compile cache covers (a vm.Script it does not).
if (existsSync(BUNDLE))
  require(BUNDLE); // eslint-disable-line @typescript-eslint/no-require-imports
else void import('./server.js');

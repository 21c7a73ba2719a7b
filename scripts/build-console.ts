// Builds the console page (console/ → dist/ui/): one minified script bundled with Preact,
// one stylesheet, the HTML shell and the icon. Part of `npm run build` (scripts/bundle.ts calls
// it), and run once per `npm test` (test/build-setup.ts) so tests serve the current sources.
// `tsx scripts/build-console.ts` rebuilds only the page.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUILT_CONSOLE, CONSOLE_FILES } from '../src/console/assets.js';
import { packagePath } from '../src/paths.js';

const SOURCE = packagePath('console');

/** Builds the page into `outDir`; answers each file's gzipped size in bytes. */
export async function buildConsole(outDir = BUILT_CONSOLE): Promise<Record<string, number>> {
  mkdirSync(outDir, { recursive: true });
  await build({
    // main.tsx imports the stylesheet, so esbuild writes console.css beside console.js.
    entryPoints: { console: join(SOURCE, 'src', 'main.tsx') },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(join(SOURCE, 'index.html'), join(outDir, 'index.html'));
  copyFileSync(join(SOURCE, 'favicon.svg'), join(outDir, 'favicon.svg'));
  return Object.fromEntries(
    CONSOLE_FILES.map((name) => [name, gzipSync(readFileSync(join(outDir, name)), { level: 9 }).length]),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = await buildConsole();
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  console.log(`console built in ${BUILT_CONSOLE}: ${(total / 1024).toFixed(1)} KB gzipped (${JSON.stringify(sizes)})`);
}

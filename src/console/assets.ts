// The console's static files, as `npm run build` wrote them to dist/ui/ (scripts/build-console.ts).
// Read and gzipped once, on the first request for the console, never at start-up: most runs of
// keyforge (CI) never open it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { packagePath } from '../paths.js';

/** Where `npm run build` writes the page (beside, not inside, tsc's dist/console/ of this folder). */
export const BUILT_CONSOLE = packagePath('dist', 'ui');

export interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

/** Every file the build writes; the console serves these and nothing else from the folder. */
export const CONSOLE_FILES = ['index.html', 'console.js', 'console.css', 'favicon.svg'] as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The files by name, or null when the console was not built (no dist/ui/). */
export async function loadAssets(dir: string): Promise<Map<string, Asset> | null> {
  try {
    const assets = await Promise.all(
      CONSOLE_FILES.map(async (name) => {
        const body = await readFile(join(dir, name));
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
        return [
          name,
          { type: TYPES[extname(name)]!, body, gzipped: await promisify(gzip)(body, { level: 9 }), etag },
        ] as const;
      }),
    );
    return new Map(assets);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

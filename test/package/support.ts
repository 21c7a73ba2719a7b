// For the tarball test: what installing into a fresh project needs here, the versions of the
// tools it installs beside keyforge (those of this checkout, so npm's cache has them), and the
// README's code blocks it runs as printed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/process.js';

const has = (command: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/**
 * The environment of `npm install` in the fresh project. better-sqlite3 compiles there when no
 * prebuilt binary downloads (none does here), mostly SQLite's amalgamation: with ccache (which
 * .ci/node-lines installs) that object is compiled once and reused by later runs, since paths
 * under `dir` are hashed relative to it. npm's own configuration (nodedir, cafile) applies as is.
 */
export function installEnvironment(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, JOBS: 'max' };
  if (has('ccache'))
    Object.assign(env, {
      CC: `ccache ${process.env.CC ?? 'cc'}`,
      CXX: `ccache ${process.env.CXX ?? 'g++'}`,
      CCACHE_BASEDIR: dir,
    });
  return env;
}

const version = (name: string) =>
  (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

export const toolVersions = () => ({
  typescript: version('typescript'),
  typesNode: version('@types/node'),
  vitest: version('vitest'),
});

/** The code block, in the README or docs/testing.md, whose first line is `// <name>`, without the fences. */
export function readmeBlock(name: string): string {
  const pages = ['README.md', 'docs/testing.md'].map((page) => readFileSync(join(ROOT, page), 'utf8')).join('\n');
  const block = new RegExp('```[a-z]*\\n(// ' + name.replace(/\./g, '\\.') + '\\n[\\s\\S]*?)```').exec(pages)?.[1];
  if (!block) throw new Error(`README.md and docs/testing.md have no code block starting with // ${name}`);
  return block;
}

/** Why the tarball test cannot run here (no compiler for better-sqlite3, no npm registry), or undefined. */
export function installProblem(): string | undefined {
  const missing = ['make', 'g++', 'python3'].filter((tool) => !has(tool));
  if (missing.length > 0) return `${missing.join(', ')} missing: better-sqlite3 compiles during the install`;
  try {
    execFileSync('npm', ['ping'], { stdio: 'ignore', timeout: 20_000 });
  } catch {
    return 'the npm registry does not answer `npm ping`';
  }
  return undefined;
}

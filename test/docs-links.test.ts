// Every relative link in the repository's Markdown resolves: to a file or folder that exists,
// and, with a #fragment, to a heading of that page (GitHub's anchors: lower case, punctuation
// dropped, spaces as hyphens).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (['node_modules', 'dist', 'build', '.git'].includes(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? markdownFiles(path) : entry.name.endsWith('.md') ? [path] : [];
  });
}

/** GitHub's anchor of a heading. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function anchors(page: string): Set<string> {
  const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => anchorOf(heading!.replace(/`/g, ''))));
}

function brokenLinks(): string[] {
  const broken: string[] = [];
  for (const file of markdownFiles(ROOT)) {
    const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target!) || target!.startsWith('mailto:')) continue;
      const [path, fragment] = target!.split('#') as [string, string | undefined];
      const resolved = path === '' ? file : join(dirname(file), path);
      const where = `${relative(ROOT, file)} → ${target}`;
      if (!existsSync(resolved)) broken.push(`${where}: no such file`);
      else if (fragment !== undefined && statSync(resolved).isFile() && !anchors(resolved).has(fragment))
        broken.push(`${where}: no such heading`);
    }
  }
  return broken;
}

describe('the documentation', () => {
  it('has no relative link to a file or heading that does not exist', () => {
    expect(brokenLinks()).toEqual([]);
  });
});

// The repository itself: .gitignore must not name a file that is committed (a pattern that
// matches one, or a `!` exception for one, says the file is ignored when it is not).
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { ROOT } from '../support/process.js';

const inGitWorkTree = (() => {
  try {
    return (
      execFileSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: ROOT, encoding: 'utf8' }).trim() === 'true'
    );
  } catch {
    return false;
  }
})();

it.runIf(inGitWorkTree)('.gitignore lists no committed file', () => {
  const committed = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' });
  // --no-index: tracked files too; -v: also the files a `!` pattern names. Exit 1 means no match.
  let listed = '';
  try {
    listed = execFileSync('git', ['check-ignore', '--no-index', '-v', '--stdin'], {
      cwd: ROOT,
      encoding: 'utf8',
      input: committed,
    });
  } catch (err) {
    if ((err as { status?: number }).status !== 1) throw err;
  }
  expect(listed.split('\n').filter((line) => line !== '')).toEqual([]);
});

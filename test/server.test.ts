// The real server process: config errors, the banner's curl lines, HTTP, graceful shutdown.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runToExit, startServer } from './support/process.js';
import { testTempDir } from './support/test-run.js';

const exec = promisify(execFile);
const dir = testTempDir('keyforge-server-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keyforge server process', () => {
  it('exits 2 with one clear line on a bad setting', async () => {
    const { code, stderr } = await runToExit(['--port', 'eighty']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining('keyforge: invalid --port / PORT')]);
  });

  it.each([
    [['--port', '-1'], 'keyforge: invalid --port / PORT: must be at least 0 (got "-1")'],
    [['--port', 'abc'], 'keyforge: invalid --port / PORT: must be a number (got "abc")'],
    [['--body-limit', '12'], 'keyforge: invalid --body-limit / KEYFORGE_BODY_LIMIT: must be at least 1024 (got "12")'],
    // An empty flag is a bad value, as a flag without one is (an empty variable counts as unset).
    [['--port', ''], 'keyforge: invalid --port / PORT: must be a number (got "")'],
    [['--port'], "keyforge: Option '--port <value>' argument missing"],
    [['--db', ''], 'keyforge: invalid --db / KEYFORGE_DB: must not be empty (got "")'],
  ])('exits 2 for %j with the setting and its rule in one line', async (argv, line) => {
    const { code, stderr } = await runToExit(argv);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([line]);
  });

  it('prints the banner and no JSON log line at the default log level, from start to stop', async () => {
    const server = await startServer(['--port', '0', '--db', ':memory:', '--hash-profile', 'fast'], { PORT: '' });
    expect(await server.stop()).toBe(0);
    const lines = server.output().split('\n');
    expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
    expect(lines[0]).toMatch(/^keyforge listening on http:\/\/127\.0\.0\.1:\d+ /);
  });

  it('prints usage for --help and exits 0', async () => {
    const { code, stdout } = await runToExit(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: keyforge [options]');
    expect(stdout).toContain('--demo / --no-demo');
  });

  it('serves on port 0, creates and migrates the database, and every banner curl line works pasted twice and after a restart', async () => {
    const db = join(dir, 'banner.db');
    const settings = { KEYFORGE_HASH_PROFILE: 'fast', LOG_LEVEL: 'warn' };
    /** Runs each `curl …` line of the banner in a shell, as pasted, and answers the HTTP statuses. */
    const paste = async (lines: string[], env: Record<string, string> = {}) => {
      const statuses: number[] = [];
      for (const line of lines) {
        const { stdout } = await exec('sh', ['-c', `${line} -w '\\n%{http_code}'`], {
          env: { ...process.env, ...env },
        });
        const status = Number(stdout.trim().split('\n').at(-1));
        expect([200, 201], `${line}\n${stdout}`).toContain(status);
        statuses.push(status);
      }
      return statuses;
    };
    const curlLines = (output: string) => output.split('\n').flatMap((line) => /(curl .*)$/.exec(line)?.[1] ?? []);

    const server = await startServer(['--port', '0', '--db', db], settings);
    let first: string[];
    try {
      const health = await fetch(`${server.url}/_keyforge/health`);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      first = curlLines(server.output());
      expect(first).toHaveLength(6); // five vendors and the admin API's new tenant
      expect(first.join('\n')).not.toContain('<');
      await paste(first);
      await paste(first); // again: nothing in them may be used up (Bytebeam names are unique)

      // The key the Baseten line returns creates another key.
      const basetenLine = first.find((l) => l.includes('/v1/api_keys'))!;
      const { stdout } = await exec('sh', ['-c', basetenLine]);
      const { api_key } = JSON.parse(stdout) as { api_key: string };
      const next = await fetch(`${server.url}/baseten/v1/api_keys`, {
        method: 'POST',
        headers: { authorization: `Api-Key ${api_key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'PERSONAL' }),
      });
      expect(next.status).toBe(200);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }

    // A restart on the same database, now with a configured admin token: the banner's lines
    // still work, the admin line reading the token from the variable that configures it.
    const token = { KEYFORGE_ADMIN_TOKEN: 'banner-admin-token-42' };
    const restarted = await startServer(['--port', '0', '--db', db], { ...settings, ...token });
    try {
      const again = curlLines(restarted.output());
      expect(again).toHaveLength(6);
      expect(again.join('\n')).not.toContain(token.KEYFORGE_ADMIN_TOKEN);
      await paste(again, token);
      await paste(again, token);
    } finally {
      await restarted.stop();
    }
  });

  it('keeps keys across restarts on the same database file', async () => {
    const db = join(dir, 'restart.db');
    const first = await startServer(['--port', '0', '--db', db, '--hash-profile', 'fast', '--log-level', 'warn']);
    const created = await fetch(`${first.url}/v1/api_keys`, {
      method: 'POST',
      headers: {
        authorization: 'Api-Key kfdemo01.BasetenDemoKey000000000000000000',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ type: 'PERSONAL' }),
    });
    const { api_key } = (await created.json()) as { api_key: string };
    expect(await first.stop('SIGINT')).toBe(0);

    const second = await startServer(['--port', '0', '--db', db, '--hash-profile', 'fast', '--log-level', 'warn']);
    try {
      const again = await fetch(`${second.url}/v1/api_keys`, {
        method: 'POST',
        headers: { authorization: `Api-Key ${api_key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'PERSONAL' }),
      });
      expect(again.status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});

describe('start-up faults: one clear line, exit 2 for a setting and 1 at run time, no stack trace, nothing overwritten', () => {
  const expectOneLine = (stderr: string, text: string) => {
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^keyforge: /);
    expect(lines[0]).toContain(text);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it('refuses a database path in a missing directory', async () => {
    const { code, stderr } = await runToExit(['--port', '0', '--db', join(dir, 'missing', 'x.db')]);
    expect(code).toBe(1);
    expectOneLine(stderr, 'cannot open database');
  });

  it('refuses a file that is not a database and leaves it untouched', async () => {
    const path = join(dir, 'corrupt.db');
    const garbage = Buffer.from('this is not an SQLite database, and must stay exactly like this\n'.repeat(100));
    writeFileSync(path, garbage);
    const { code, stderr } = await runToExit(['--port', '0', '--db', path]);
    expect(code).toBe(1);
    expectOneLine(stderr, 'not a SQLite database');
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it("exits 2 naming --host for an address that is not this machine's", async () => {
    const { code, stderr } = await runToExit(['--port', '0', '--db', ':memory:', '--host', '192.0.2.1']);
    expect(code).toBe(2);
    expectOneLine(stderr, 'invalid --host / HOST: 192.0.2.1 is not an address of this machine');
  });

  it('refuses a port that is already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const { code, stderr } = await runToExit(['--port', String(port), '--db', ':memory:']);
      expect(code).toBe(1);
      expectOneLine(stderr, `port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it.each([
    ['missing', undefined, 'cannot read seed file'],
    ['not JSON', '{"tenants": [', 'is not valid JSON'],
    ['of the wrong shape', '{"tenants":[{"vendor":"nobody","tenant":"x"}]}', 'tenants.0.vendor'],
    [
      'with a malformed credential',
      '{"tenants":[{"vendor":"baseten","tenant":"x","credentials":["short"]}]}',
      'not a valid baseten key',
    ],
  ])('refuses a seed file that is %s', async (_what, content, text) => {
    const path = join(dir, `seed-${Math.random().toString(36).slice(2)}.json`);
    if (content !== undefined) writeFileSync(path, content);
    const { code, stderr } = await runToExit(['--port', '0', '--db', ':memory:', '--seed', path]);
    expect(code).toBe(2); // a configuration error, like a bad flag
    expectOneLine(stderr, 'invalid --seed / KEYFORGE_SEED: ');
    expectOneLine(stderr, text);
  });
});

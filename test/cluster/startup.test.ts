// Choosing PostgreSQL: `--db postgres://…` (or postgresql://, or KEYFORGE_DB), a malformed URL
// exits 2 and an unreachable server exits 1, each with one clear line; startKeyforge takes the
// same URL.
import { describe, expect, it } from 'vitest';
import { startKeyforge } from '../../src/index.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';
import { runToExit } from '../support/process.js';

function expectOneLine(stderr: string, text: string | RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^keyforge: /);
  expect(lines[0]).toMatch(text);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('--db with a PostgreSQL URL', () => {
  it.each([
    'postgres://',
    'postgres://user:secret@/db',
    'postgresql://host:99999/db',
    'postgres://host:5432/',
    'postgres:host/db',
  ])('exits 2 naming the setting for the malformed URL %s', async (url) => {
    const { code, stderr } = await runToExit(['--port', '0', '--db', url]);
    expect(code).toBe(2);
    expectOneLine(
      stderr,
      /invalid --db \/ KEYFORGE_DB: must be a PostgreSQL URL like postgres:\/\/user:password@host:5432\/database/,
    );
    expect(stderr).not.toContain('secret');
  });

  it('exits 1 with one line when the server cannot be reached, without printing the password', async () => {
    const { code, stderr } = await runToExit(['--port', '0'], {
      KEYFORGE_DB: 'postgresql://kf:hunter2@127.0.0.1:1/keys',
    });
    expect(code).toBe(1);
    expectOneLine(stderr, 'cannot connect to PostgreSQL at 127.0.0.1:1/keys: connect ECONNREFUSED');
    expect(stderr).not.toContain('hunter2');
  });
});

describeWithPostgres('TLS from the URL', () => {
  it('follows sslmode: require refuses a server without TLS in one line, disable connects', async () => {
    const url = new URL(await freshDatabase());
    url.searchParams.set('sslmode', 'require');
    const { code, stderr } = await runToExit(['--port', '0', '--db', url.toString()]);
    expect(code).toBe(1);
    expectOneLine(stderr, 'The server does not support SSL connections');
    url.searchParams.set('sslmode', 'disable');
    const kf = await startKeyforge({ db: url.toString() });
    await kf.close();
  });
});

describeWithPostgres('startKeyforge on PostgreSQL', () => {
  it('starts, serves a tenant over HTTP, journals, resets and closes', async () => {
    const kf = await startKeyforge({ db: await freshDatabase() });
    try {
      const tenant = await kf.createTenant('peaka', 'from-tests');
      const created = await fetch(tenant.request.url, {
        method: 'POST',
        headers: tenant.request.headers,
        body: JSON.stringify(tenant.request.body),
      });
      expect(created.status).toBe(200);
      expect((await kf.requests({ vendor: 'peaka' }))[0]).toMatchObject({ method: 'POST', status: 200 });
      await kf.reset();
      expect(await kf.requests()).toEqual([]);
    } finally {
      await kf.close();
    }
  });
});

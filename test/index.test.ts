// The programmatic API as a test suite's global setup would use it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startKeyforge, type SeedFile } from '../src/index.js';

const handles = () =>
  process
    .getActiveResourcesInfo()
    .filter((r) => r !== 'TTYWrap' && r !== 'Timeout')
    .sort();

describe('startKeyforge', () => {
  it('starts on a free port, creates tenants whose request works over HTTP, journals, resets and closes', async () => {
    const before = handles();
    const kf = await startKeyforge();
    expect(kf.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(kf.adminToken.length).toBeGreaterThanOrEqual(16);

    const tenant = await kf.createTenant('baseten', 'from-tests');
    expect(tenant.request.url).toBe(`${kf.url}/v1/api_keys`);
    const res = await fetch(tenant.request.url, {
      method: tenant.request.method,
      headers: tenant.request.headers,
      body: JSON.stringify(tenant.request.body),
    });
    expect(res.status).toBe(200);
    const { api_key } = (await res.json()) as { api_key: string };

    expect((await kf.requests({ vendor: 'baseten' }))[0]).toMatchObject({
      method: 'POST',
      path: '/v1/api_keys',
      status: 200,
    });
    await kf.reset();
    expect(await kf.requests()).toEqual([]);
    const after = await fetch(`${kf.url}/v1/api_keys`, {
      method: 'POST',
      headers: { authorization: `Api-Key ${api_key}`, 'content-type': 'application/json' },
      body: '{"type":"PERSONAL"}',
    });
    expect(after.status).toBe(401);

    await kf.close();
    // Client-side keep-alive sockets see the server's close a moment later.
    await expect.poll(handles).toEqual(before);
  });

  it('starts and closes twice in one process, with seed data given inline', async () => {
    const secret = `seeded01.${'s'.repeat(32)}`;
    for (let round = 0; round < 2; round++) {
      const kf = await startKeyforge({
        seed: { tenants: [{ vendor: 'baseten', tenant: 'ci', credentials: [secret] }] },
        demo: false,
      });
      const res = await fetch(`${kf.url}/baseten/v1/api_keys`, {
        method: 'POST',
        headers: { authorization: `Api-Key ${secret}`, 'content-type': 'application/json' },
        body: '{"type":"WORKSPACE_INVOKE"}',
      });
      expect(res.status).toBe(200);
      await kf.close();
    }
  });

  it('moves the test clock and resets or deletes one tenant', async () => {
    const kf = await startKeyforge();
    try {
      const moved = await kf.clock.advance('PT2H');
      expect(moved.offsetMs).toBeGreaterThan(2 * 3_600_000 - 1000);
      expect((await kf.clock.set(new Date('2030-01-01T00:00:00Z'))).now.slice(0, 13)).toBe('2030-01-01T00');
      expect((await kf.clock.get()).now.slice(0, 4)).toBe('2030');
      expect((await kf.clock.reset()).offsetMs).toBe(0);
      await expect(kf.clock.advance('two hours')).rejects.toThrow(/400.*body\.advance/);

      const tenant = await kf.createTenant('imtegrate', 'worker-1');
      const created = await fetch(tenant.request.url, {
        method: 'POST',
        headers: tenant.request.headers,
        body: JSON.stringify(tenant.request.body),
      });
      expect(created.status).toBe(201);
      expect(await kf.resetTenant('imtegrate', 'worker-1')).toEqual({
        keys: 1,
        projects: 0,
        journalEntries: 1,
        faults: 0,
      });
      expect((await kf.deleteTenant('imtegrate', 'worker-1')).keys).toBe(1);
      await expect(kf.deleteTenant('imtegrate', 'worker-1')).rejects.toThrow(/404/);
    } finally {
      await kf.close();
    }
  });

  it('starts with inline seed data that leaves out the optional credentials', async () => {
    const seed: SeedFile = { tenants: [{ vendor: 'peaka', tenant: 'ci', project: 'CiPrj001' }] };
    const kf = await startKeyforge({ seed, demo: false });
    await kf.close();
  });

  it.each([
    ['an unknown vendor', { tenants: [{ vendor: 'stripe', tenant: 'ci' }] }, 'tenants.0.vendor Invalid option'],
    ['an empty tenant', { tenants: [{ vendor: 'baseten', tenant: '' }] }, 'tenants.0.tenant must be 1-64 letters'],
    [
      'credentials that are no list',
      { tenants: [{ vendor: 'baseten', tenant: 'ci', credentials: 'k' }] },
      'tenants.0.credentials Invalid input',
    ],
    ['no tenants', {}, 'tenants Invalid input'],
  ])('refuses inline seed data with %s in the one line a seed file gets', async (_case, seed, problem) => {
    const dir = mkdtempSync(join(tmpdir(), 'keyforge-seed-'));
    try {
      const file = join(dir, 'seed.json');
      writeFileSync(file, JSON.stringify(seed));
      const fromFile = await startKeyforge({ seed: file }).then(
        () => 'started',
        (err: Error) => err.message,
      );
      const inline = await startKeyforge({ seed: seed as SeedFile }).then(
        () => 'started',
        (err: Error) => err.message,
      );
      expect(fromFile).toContain(`seed file ${file}: ${problem}`);
      expect(inline).toBe(fromFile.replace(`seed file ${file}: `, 'seed: '));
      expect(inline).not.toContain('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

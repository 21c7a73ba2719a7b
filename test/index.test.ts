// The programmatic API as a test suite's global setup would use it.
import { describe, expect, it } from 'vitest';
import { startKeyforge } from '../src/index.js';

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

    expect((await kf.requests({ vendor: 'baseten' }))[0]).toMatchObject({ method: 'POST', path: '/v1/api_keys', status: 200 });
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
      const kf = await startKeyforge({ seed: { tenants: [{ vendor: 'baseten', tenant: 'ci', credentials: [secret] }] }, demo: false });
      const res = await fetch(`${kf.url}/baseten/v1/api_keys`, {
        method: 'POST',
        headers: { authorization: `Api-Key ${secret}`, 'content-type': 'application/json' },
        body: '{"type":"WORKSPACE_INVOKE"}',
      });
      expect(res.status).toBe(200);
      await kf.close();
    }
  });
});

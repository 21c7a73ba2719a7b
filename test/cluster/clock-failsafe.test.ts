// Fail safe for the test clock: an instance whose listening connection goes silent cannot hear
// the clock move, so once it stops trusting what it heard it re-reads the offset from the
// database before it answers; a key that expired by the move is refused there too.
import { expect, it } from 'vitest';
import { describeWithPostgres } from '../support/postgres.js';
import { useDeafPair } from './deaf-pair.js';
import { adminCall, call, newTenant, rootSecret } from './support.js';

describeWithPostgres('the test clock on an instance that cannot hear the others', () => {
  const pair = useDeafPair();

  it('reads the clock from the database while it may miss announcements, and refuses a key the move expired', async () => {
    const { a, b, proxy } = pair();
    const partner = await newTenant(a.url, 'peaka');
    const created = await call(
      a.url,
      'POST',
      `/api/v1/projects/${partner.project}/apiKeys`,
      { authorization: `Bearer ${rootSecret(partner)}` },
      { expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
    );
    const use = () =>
      call(b.url, 'GET', `/api/v1/projects/${partner.project}/apiKeys`, {
        authorization: `Bearer ${created.body.apiKey}`,
      });
    expect((await use()).status).toBe(403); // authenticated, and cached on B

    expect(proxy.silenceListeners()).toBe(1);
    await expect
      .poll(async () => (await call(b.url, 'GET', '/_keyforge/health')).body.status, { timeout: 5000 })
      .toBe('degraded');

    const moved = await adminCall(a.url, 'PUT', '/_keyforge/clock', { advance: 'PT2H' }); // B cannot hear it
    expect(moved.status).toBe(200);
    expect((await adminCall(b.url, 'GET', '/_keyforge/clock')).body.offsetMs).toBe(moved.body.offsetMs);
    expect((await use()).status).toBe(401);
  });
});

// A reset through one instance holds the vendor calls of every instance, not only its own: calls
// in flight anywhere finish first, new ones wait, then see the state after the reset. So creates
// made through B with the demo credentials (valid before and after a reset) never answer 401
// while resets run through A.
import { beforeAll, expect, it } from 'vitest';
import { baseten } from '../../src/vendors/baseten/index.js';
import { bytebeam } from '../../src/vendors/bytebeam/index.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';
import { adminCall, call, startInstances, type Instance } from './support.js';

describeWithPostgres('a reset through one instance, with creates in flight on another', () => {
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    const db = await freshDatabase();
    a = (await startInstances(db, ['a'], ['--demo']))[0]!;
    b = (await startInstances(db, ['b'], ['--demo']))[0]!;
  }, 60_000);

  it('never fails them with 401: they finish before the wipe or run after it', async () => {
    const creates: Array<{ status: number; text: string }> = [];
    let resetting = true;
    const worker = async (w: number) => {
      for (let i = 0; resetting; i++) {
        const answer =
          i % 2 === 0
            ? await call(
                b.url,
                'POST',
                '/v1/api_keys',
                { authorization: `Api-Key ${baseten.demo.secret}` },
                { name: `w${w}-${i}`, type: 'PERSONAL' },
              )
            : await call(
                b.url,
                'POST',
                '/api/v1/apikeys',
                { 'x-bytebeam-api-key': bytebeam.demo.secret, 'x-bytebeam-tenant': bytebeam.demo.tenant },
                { name: `w${w}-${i}`, role: 'admin' },
              );
        creates.push({ status: answer.status, text: answer.text });
      }
    };
    const workers = Promise.all(Array.from({ length: 6 }, (_, w) => worker(w)));
    const resets: number[] = [];
    for (let r = 0; r < 8; r++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      resets.push((await adminCall(a.url, 'POST', '/_keyforge/reset', undefined)).status);
    }
    resetting = false;
    await workers;
    expect(resets).toEqual(resets.map(() => 200));
    expect(creates.length).toBeGreaterThan(50);
    expect(creates.filter((c) => c.status !== 200)).toEqual([]);
  }, 60_000);
});

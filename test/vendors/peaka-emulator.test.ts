// Peaka inside the emulator: demo and seed credentials, the admin API's tenants, injected
// faults in Peaka's error shape, and secrets kept out of the logs.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { adminHeaders, buildTestApp, useTestApp } from '../helper.js';
import { bearer, createKey, DEMO, keysPath, newPartner, springError } from './peaka-support.js';
import { testTempDir } from '../support/test-run.js';

describe('Peaka bootstrap', () => {
  const app = useTestApp();

  it('seeds the demo partner with its well-known key and project', () => {
    const demo = app().keyforge.demo.find((d) => d.vendor === 'peaka');
    expect(demo).toEqual({
      vendor: 'peaka',
      tenant: 'demo-partner',
      project: 'DemoPrj1',
      request: {
        method: 'POST',
        path: '/api/v1/projects/DemoPrj1/apiKeys',
        headers: {
          Authorization: 'Bearer kfdemo02.PeakaDemoPartnerKey0000000000000',
          'Content-Type': 'application/json',
        },
        body: { name: 'test' },
      },
    });
  });

  it('keeps one project per partner when the admin API issues it a new partner key', async () => {
    const first = await newPartner(app(), 'twice');
    const again = await newPartner(app(), 'twice');
    expect(again.project).toBe(first.project);
    expect(again.project).toMatch(/^[0-9A-Za-z]{8}$/);
    expect(again.secret).not.toBe(first.secret);
    expect((await createKey(app(), first.secret, first.project)).statusCode).toBe(200);
  });

  it("stores a seed file's fixed partner key with the project it names", async () => {
    const dir = testTempDir('keyforge-peaka-');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const secret = 'SeedPtnr.0123456789abcdefghijABCDEFGHIJ01';
    const seed = join(dir, 'seed.json');
    writeFileSync(
      seed,
      JSON.stringify({ tenants: [{ vendor: 'peaka', tenant: 'ci', project: 'CiProj01', credentials: [secret] }] }),
    );
    const seeded = await buildTestApp({ seed });
    try {
      expect((await createKey(seeded, secret, 'CiProj01')).statusCode).toBe(200);
    } finally {
      await seeded.close();
    }
  });
});

describe('Peaka under injected faults', () => {
  const app = useTestApp();

  it('answers an injected 503 in the Spring shape, before authentication', async () => {
    const put = await app().inject({
      method: 'PUT',
      url: '/_keyforge/faults',
      headers: adminHeaders,
      payload: { vendor: 'peaka', status: 503, count: 1 },
    });
    expect(put.statusCode).toBe(201);
    const path = keysPath(DEMO.project);
    const res = await app().inject({ method: 'POST', url: path, payload: {} });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual(
      springError(503, 'Service Unavailable', `fault injected by keyforge (fault ${put.json().id})`, path),
    );
    expect((await createKey(app(), DEMO.secret, DEMO.project)).statusCode).toBe(200);
  });
});

describe('Peaka secrets in logs', () => {
  it('never writes an issued key or a presented credential to the log, even at trace level', async () => {
    const lines: string[] = [];
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const app = await buildTestApp({ logLevel: 'trace' }, { logStream });
    try {
      const created = await createKey(app, DEMO.secret, DEMO.project);
      const issued = created.json().apiKey as string;
      const unknown = 'AAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
      expect(
        (await app.inject({ method: 'GET', url: keysPath(DEMO.project), headers: bearer(unknown) })).statusCode,
      ).toBe(401);
      expect(
        (await app.inject({ method: 'GET', url: keysPath(DEMO.project), headers: bearer(issued) })).statusCode,
      ).toBe(403);
      const log = lines.join('');
      expect(log.length).toBeGreaterThan(0);
      for (const secret of [DEMO.secret, issued, unknown]) expect(log).not.toContain(secret.split('.')[1]);
    } finally {
      await app.close();
    }
  });
});

describe('Peaka with --auth any', () => {
  const app = useTestApp({ auth: 'any' });

  it('enrols an invented partner key with the project its first call names', async () => {
    const invented = 'Invented.0123456789abcdefghijABCDEFGHIJ01';
    expect((await createKey(app(), invented, 'MyProj01')).statusCode).toBe(200);
    expect((await createKey(app(), invented, 'MyProj01')).statusCode).toBe(200);
  });

  it('never hands an invented key a project another partner owns: 404 as usual', async () => {
    const invented = 'Intruder.0123456789abcdefghijABCDEFGHIJ01';
    const res = await createKey(app(), invented, DEMO.project);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual(springError(404, 'Not Found', 'Project not found', keysPath(DEMO.project)));
  });
});

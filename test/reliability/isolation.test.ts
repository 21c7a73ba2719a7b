// Tenant and project isolation as a property: random tenants, projects and keys in every
// vendor, and no credential of tenant A (root or issued key) can create, list, see or revoke
// anything of tenant B, nor a project key reach outside its project. Every refusal is the
// vendor's own 404/403/401 and reads exactly like the answer for something that does not
// exist, so it never reveals existence. Afterwards B's keys all still work.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { randomBase62 } from '../../src/keys/formats.js';
import { adminHeaders, useTestApp } from '../helper.js';
import { createTenant, rootSecret, shapeProblem, type Tenant, type VendorName } from './support.js';

type Method = 'GET' | 'POST' | 'DELETE';
type Headers = Record<string, string>;

const app = useTestApp();

async function call(method: Method, url: string, headers: Headers, payload?: unknown): Promise<LightMyRequestResponse> {
  // A Content-Type only with a body, as clients send it (an empty JSON body is a 400 of its own).
  const { 'content-type': contentType, ...rest } = headers;
  const res = await app().inject(
    payload === undefined
      ? { method, url, headers: rest }
      : {
          method,
          url,
          headers: { ...rest, 'content-type': contentType ?? 'application/json' },
          payload: payload as object,
        },
  );
  expect(shapeProblem(url, res), `${method} ${url}`).toBeNull();
  return res;
}

/** The parts of an answer a client can compare; Spring's timestamp and path name the request, not the data. */
function comparable(res: LightMyRequestResponse): unknown {
  const body = res.body === '' ? '' : (JSON.parse(res.body) as Record<string, unknown>);
  if (typeof body === 'object' && 'timestamp' in body)
    return { status: res.statusCode, error: body.error, message: body.message };
  return { status: res.statusCode, body };
}

/** A refusal of another tenant's thing: `status`, and exactly the answer for a thing that does not exist. */
async function expectRefusedLikeMissing(
  status: number,
  theirs: () => Promise<LightMyRequestResponse>,
  missing: () => Promise<LightMyRequestResponse>,
) {
  const [a, b] = [await theirs(), await missing()];
  expect(a.statusCode, a.body).toBe(status);
  expect(comparable(a)).toEqual(comparable(b));
}

async function expectStillValid(vendor: VendorName, secrets: string[]): Promise<void> {
  for (const secret of secrets) {
    const res = await app().inject({
      method: 'POST',
      url: '/_keyforge/keys/verify',
      headers: adminHeaders,
      payload: { vendor, secret },
    });
    expect(res.json().valid, `${vendor} key of the victim tenant`).toBe(true);
  }
}

const tenantName = (vendor: string) => `${vendor}-${randomBase62(10).toLowerCase()}`;
const mountOf = (vendor: VendorName) => fc.constantFrom('', `/${vendor}`);

describe('tenant isolation, as a property over random tenants, projects and keys', () => {
  it('basic: a user JWT or project API key never reaches another account, or an API key another project', async () => {
    const property = fc.asyncProperty(
      mountOf('basic'),
      fc.integer({ min: 1, max: 2 }),
      fc.boolean(),
      async (mount, count, asUser) => {
        const [a, b] = [
          await createTenant(app(), 'basic', tenantName('basic')),
          await createTenant(app(), 'basic', tenantName('basic')),
        ];
        const jwt = (t: Tenant) => ({ authorization: `Bearer ${rootSecret(t)}`, 'content-type': 'application/json' });
        const issue = async (t: Tenant, project: string, label: string) => {
          const res = await call('POST', `${mount}/project/${project}/key`, jwt(t), { label, roles: 'admin' });
          expect(res.statusCode).toBe(200);
          return res.json().key as { id: string; value: string };
        };
        const aKeys = await Promise.all(Array.from({ length: count }, (_, i) => issue(a, a.project!, `a${i}`)));
        const bKeys = await Promise.all(Array.from({ length: count }, (_, i) => issue(b, b.project!, `b${i}`)));
        // A second project of A's account, with a key of its own.
        const aOther = (await app().tenants.createProject((await app().tenants.find('basic', a.tenant))!, randomUUID()))
          .externalId;
        const aOtherKey = await issue(a, aOther, 'a-other');
        const attacker = asUser
          ? jwt(a)
          : { authorization: `Bearer ${aKeys[0]!.value}`, 'content-type': 'application/json' };
        const missingProject = randomUUID();

        // Another account's project answers exactly like one that does not exist.
        const foreignProjects = asUser ? [b.project!] : [b.project!, aOther];
        for (const project of foreignProjects) {
          const victimKey = project === aOther ? aOtherKey : bKeys[0]!;
          for (const [method, path, body] of [
            ['POST', '/key', { label: 'x', roles: 'admin' }],
            ['GET', '/key', undefined],
            ['GET', `/key/${victimKey.id}`, undefined],
            ['DELETE', `/key/${victimKey.id}`, undefined],
            ['POST', '/key/verify', { key: victimKey.value }],
          ] as const) {
            await expectRefusedLikeMissing(
              404,
              () => call(method, `${mount}/project/${project}${path}`, attacker, body),
              () => call(method, `${mount}/project/${missingProject}${path}`, attacker, body),
            );
          }
        }
        // On its own project, another account's key ids and values are unknown.
        for (const victim of bKeys) {
          for (const method of ['GET', 'DELETE'] as const) {
            await expectRefusedLikeMissing(
              404,
              () => call(method, `${mount}/project/${a.project}/key/${victim.id}`, attacker),
              () => call(method, `${mount}/project/${a.project}/key/${randomUUID()}`, attacker),
            );
          }
          const verified = await call('POST', `${mount}/project/${a.project}/key/verify`, attacker, {
            key: victim.value,
          });
          expect(verified.json()).toEqual({ is_valid: false, key: null });
        }
        const listed = (await call('GET', `${mount}/project/${a.project}/key`, attacker))
          .json()
          .keys.map((k: { id: string }) => k.id);
        expect(listed).toEqual(expect.arrayContaining(aKeys.map((k) => k.id)));
        for (const k of [...bKeys, aOtherKey]) expect(listed).not.toContain(k.id);

        await expectStillValid('basic', [...bKeys.map((k) => k.value), aOtherKey.value]);
        const bList = (await call('GET', `/project/${b.project}/key`, jwt(b)))
          .json()
          .keys.map((k: { id: string }) => k.id);
        expect(bList).toEqual(expect.arrayContaining(bKeys.map((k) => k.id)));
      },
    );
    await fc.assert(property, { numRuns: 8 });
  });

  it('baseten: a workspace key never lists or deletes another workspace’s keys', async () => {
    const property = fc.asyncProperty(
      mountOf('baseten'),
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
      async (mount, count, asRoot) => {
        const [a, b] = [
          await createTenant(app(), 'baseten', tenantName('baseten')),
          await createTenant(app(), 'baseten', tenantName('baseten')),
        ];
        const auth = (secret: string) => ({ authorization: `Api-Key ${secret}`, 'content-type': 'application/json' });
        const issue = async (t: Tenant) =>
          (await call('POST', `${mount}/v1/api_keys`, auth(rootSecret(t)), { type: 'PERSONAL' })).json()
            .api_key as string;
        const aKeys = await Promise.all(Array.from({ length: count }, () => issue(a)));
        const bKeys = await Promise.all(Array.from({ length: count }, () => issue(b)));
        const attacker = auth(asRoot ? rootSecret(a) : aKeys[0]!);
        const prefix = (secret: string) => secret.split('.')[0]!;

        for (const victim of bKeys) {
          await expectRefusedLikeMissing(
            404,
            () => call('DELETE', `${mount}/v1/api_keys/${prefix(victim)}`, attacker),
            () => call('DELETE', `${mount}/v1/api_keys/${randomBase62(8)}`, attacker),
          );
        }
        const listed = (await call('GET', `${mount}/v1/api_keys`, attacker))
          .json()
          .keys.map((k: { prefix: string }) => k.prefix);
        expect(listed).toEqual(expect.arrayContaining(aKeys.map(prefix)));
        for (const victim of bKeys) expect(listed).not.toContain(prefix(victim));
        await expectStillValid('baseten', bKeys);
      },
    );
    await fc.assert(property, { numRuns: 8 });
  });

  it('bytebeam: a key never works under another tenant’s name, and never reaches its keys', async () => {
    const property = fc.asyncProperty(
      mountOf('bytebeam'),
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
      async (mount, count, asRoot) => {
        const [a, b] = [
          await createTenant(app(), 'bytebeam', tenantName('bytebeam')),
          await createTenant(app(), 'bytebeam', tenantName('bytebeam')),
        ];
        const auth = (secret: string, tenant: string) => ({
          'x-bytebeam-api-key': secret,
          'x-bytebeam-tenant': tenant,
          'content-type': 'application/json',
        });
        const issue = async (t: Tenant, name: string) => {
          const res = await call('POST', `${mount}/api/v1/apikeys`, auth(rootSecret(t), t.tenant), {
            name,
            role: 'admin',
          });
          return { name, secret: res.json().key as string };
        };
        const aKeys = await Promise.all(Array.from({ length: count }, (_, i) => issue(a, `a-${i}`)));
        const bKeys = await Promise.all(Array.from({ length: count }, (_, i) => issue(b, `b-${i}`)));
        const aSecret = asRoot ? rootSecret(a) : aKeys[0]!.secret;

        // A's key presented as tenant B is refused exactly like an unknown key.
        for (const [method, path, body] of [
          ['GET', '/api/v1/apikeys', undefined],
          ['POST', '/api/v1/apikeys', { name: 'intruder', role: 'admin' }],
          ['DELETE', `/api/v1/apikeys/${bKeys[0]!.name}`, undefined],
        ] as const) {
          await expectRefusedLikeMissing(
            401,
            () => call(method, `${mount}${path}`, auth(aSecret, b.tenant), body),
            () => call(method, `${mount}${path}`, auth(randomUUID(), b.tenant), body),
          );
        }
        // As itself, A cannot delete B's keys by name: as absent as a name never used.
        for (const victim of bKeys) {
          await expectRefusedLikeMissing(
            404,
            () => call('DELETE', `${mount}/api/v1/apikeys/${victim.name}`, auth(aSecret, a.tenant)),
            () => call('DELETE', `${mount}/api/v1/apikeys/never-${randomBase62(6)}`, auth(aSecret, a.tenant)),
          );
        }
        const listed = (await call('GET', `${mount}/api/v1/apikeys`, auth(aSecret, a.tenant)))
          .json()
          .map((k: { name: string }) => k.name);
        expect(listed.sort()).toEqual(aKeys.map((k) => k.name).sort());
        await expectStillValid(
          'bytebeam',
          bKeys.map((k) => k.secret),
        );
      },
    );
    await fc.assert(property, { numRuns: 8 });
  });

  it('peaka: a partner never reaches another partner’s projects, and project keys manage nothing', async () => {
    const property = fc.asyncProperty(mountOf('peaka'), fc.integer({ min: 1, max: 2 }), async (mount, count) => {
      const [a, b] = [
        await createTenant(app(), 'peaka', tenantName('peaka')),
        await createTenant(app(), 'peaka', tenantName('peaka')),
      ];
      const auth = (secret: string) => ({ authorization: `Bearer ${secret}`, 'content-type': 'application/json' });
      const base = (project: string) => `${mount}/api/v1/projects/${project}/apiKeys`;
      const issue = async (t: Tenant, project: string) => {
        const res = await call('POST', base(project), auth(rootSecret(t)), { name: 'k' });
        expect(res.statusCode).toBe(200);
        return res.json() as { apiKey: string; apiKeyId: string };
      };
      const aOther = (
        await app().tenants.createProject((await app().tenants.find('peaka', a.tenant))!, randomBase62(8))
      ).externalId;
      const aKeys = await Promise.all(Array.from({ length: count }, () => issue(a, a.project!)));
      const aOtherKeys = await Promise.all(Array.from({ length: count }, () => issue(a, aOther)));
      const bKeys = await Promise.all(Array.from({ length: count }, () => issue(b, b.project!)));
      const partner = auth(rootSecret(a));
      const missingProject = randomBase62(8);

      // Partner A on partner B's project: as unknown as a project that does not exist.
      for (const [method, path, body] of [
        ['POST', '', { name: 'intruder' }],
        ['GET', '', undefined],
        ['DELETE', `/${bKeys[0]!.apiKeyId}`, undefined],
      ] as const) {
        await expectRefusedLikeMissing(
          404,
          () => call(method, `${base(b.project!)}${path}`, partner, body),
          () => call(method, `${base(missingProject)}${path}`, partner, body),
        );
      }
      // B's keys, and A's other project's keys, are unknown ids under A's project.
      for (const victim of [...bKeys, ...aOtherKeys]) {
        await expectRefusedLikeMissing(
          404,
          () => call('DELETE', `${base(a.project!)}/${victim.apiKeyId}`, partner),
          () => call('DELETE', `${base(a.project!)}/${randomUUID()}`, partner),
        );
      }
      // A project key stays inside its project: it manages nothing, here or anywhere, alike.
      const projectKey = auth(aKeys[0]!.apiKey);
      for (const project of [a.project!, aOther, b.project!, missingProject]) {
        for (const [method, path] of [
          ['GET', ''],
          ['POST', ''],
          ['DELETE', `/${aOtherKeys[0]!.apiKeyId}`],
        ] as const) {
          const res = await call(
            method,
            `${base(project)}${path}`,
            projectKey,
            method === 'POST' ? { name: 'x' } : undefined,
          );
          expect(res.statusCode, `${method} ${project}`).toBe(403);
          expect(res.json().message).toBe('Project API keys may not manage API keys; use a Partner API key');
        }
      }
      const listed = (await call('GET', base(a.project!), partner)).json().map((k: { apiKeyId: string }) => k.apiKeyId);
      expect(listed.sort()).toEqual(aKeys.map((k) => k.apiKeyId).sort());
      await expectStillValid(
        'peaka',
        [...bKeys, ...aOtherKeys].map((k) => k.apiKey),
      );
    });
    await fc.assert(property, { numRuns: 8 });
  });

  it('imtegrate: an org key never lists or revokes another org’s keys', async () => {
    const property = fc.asyncProperty(
      mountOf('imtegrate'),
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
      async (mount, count, asRoot) => {
        const [a, b] = [
          await createTenant(app(), 'imtegrate', tenantName('imtegrate')),
          await createTenant(app(), 'imtegrate', tenantName('imtegrate')),
        ];
        const auth = (secret: string) => ({ authorization: `Bearer ${secret}`, 'content-type': 'application/json' });
        const issue = async (t: Tenant) => {
          const res = await call('POST', `${mount}/v1/api-keys`, auth(rootSecret(t)), {
            name: 'key',
            scopes: ['api_keys:write'],
          });
          expect(res.statusCode).toBe(201);
          return res.json() as { id: string; token: string };
        };
        const aKeys = await Promise.all(Array.from({ length: count }, () => issue(a)));
        const bKeys = await Promise.all(Array.from({ length: count }, () => issue(b)));
        const attacker = auth(asRoot ? rootSecret(a) : aKeys[0]!.token);
        for (const victim of bKeys) {
          await expectRefusedLikeMissing(
            404,
            () => call('POST', `${mount}/v1/api-keys/${victim.id}/revoke`, attacker),
            () => call('POST', `${mount}/v1/api-keys/${randomUUID()}/revoke`, attacker),
          );
        }
        const listed = (await call('GET', `${mount}/v1/api-keys`, attacker)).json().map((k: { id: string }) => k.id);
        expect(listed).toEqual(expect.arrayContaining(aKeys.map((k) => k.id)));
        for (const victim of bKeys) expect(listed).not.toContain(victim.id);
        await expectStillValid(
          'imtegrate',
          bKeys.map((k) => k.token),
        );
      },
    );
    await fc.assert(property, { numRuns: 8 });
  });
});

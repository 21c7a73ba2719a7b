// Peaka key lifecycle: list, delete, expiry, partner-vs-project permissions and isolation
// between partners (docs/vendors/peaka.md).
import { beforeAll, describe, expect, it } from 'vitest';
import { springTimestamp } from '../../src/frameworks/spring/errors.js';
import { adminHeaders, useTestApp, vendorCall } from '../helper.js';
import {
  bearer,
  createKey,
  deleteKey,
  DEMO,
  keysPath,
  listKeys,
  newPartner,
  newProjectKey,
  springError,
  type Partner,
} from './peaka-support.js';

const FORBIDDEN = 'Project API keys may not manage API keys; use a Partner API key';

describe('Peaka key lifecycle', () => {
  const app = useTestApp();

  it('creates, uses, lists without the secret, deletes, then refuses the deleted key and lists it no more', async () => {
    const partner = await newPartner(app());
    const key = await newProjectKey(app(), partner, { name: 'lifecycle', expiresAt: '2099-01-01T00:00:00Z' });

    // A project key may not manage keys, but its 403 (not 401) proves it authenticates.
    expect((await createKey(app(), key.secret, partner.project)).statusCode).toBe(403);

    const listed = await listKeys(app(), partner.secret, partner.project);
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual([{ name: 'lifecycle', apiKeyId: key.id, expiresAt: '2099-01-01T00:00:00Z' }]);
    expect(listed.body).not.toContain(key.secret);
    expect(listed.body).not.toContain(key.secret.split('.')[1]);

    const deleted = await deleteKey(app(), partner.secret, partner.project, key.id);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.body).toBe('');

    const refused = await createKey(app(), key.secret, partner.project);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual(springError(401, 'Unauthorized', 'Invalid API key', keysPath(partner.project)));

    expect((await listKeys(app(), partner.secret, partner.project)).json()).toEqual([]);
    const again = await deleteKey(app(), partner.secret, partner.project, key.id);
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual(
      springError(404, 'Not Found', 'API key not found', `${keysPath(partner.project)}/${key.id}`),
    );
  });

  it('lists oldest first, leaves out name and expiresAt when absent, and serves the list under /peaka', async () => {
    const partner = await newPartner(app());
    const first = await newProjectKey(app(), partner, { name: 'first' });
    const second = await newProjectKey(app(), partner, {});
    const res = await app().inject({
      method: 'GET',
      url: keysPath(partner.project, '/peaka'),
      headers: bearer(partner.secret),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual([{ name: 'first', apiKeyId: first.id }, { apiKeyId: second.id }]);
  });

  it('lets a partner manage keys in each of its projects, each list showing only its own', async () => {
    const partner = await newPartner(app());
    const tenant = (await app().tenants.find('peaka', partner.tenant))!;
    const second = (await app().tenants.createProject(tenant, 'Second01')).externalId;
    const inFirst = await newProjectKey(app(), partner, { name: 'one' });
    const inSecond = await newProjectKey(app(), { secret: partner.secret, project: second }, { name: 'two' });

    expect((await listKeys(app(), partner.secret, partner.project)).json()).toEqual([
      { name: 'one', apiKeyId: inFirst.id },
    ]);
    expect((await listKeys(app(), partner.secret, second)).json()).toEqual([{ name: 'two', apiKeyId: inSecond.id }]);
    // A key is deleted through its own project only.
    expect((await deleteKey(app(), partner.secret, partner.project, inSecond.id)).statusCode).toBe(404);
    expect((await deleteKey(app(), partner.secret, second, inSecond.id)).statusCode).toBe(200);
  });

  it('never lets a partner key delete itself: it belongs to no project, so every project answers 404', async () => {
    const partner = await newPartner(app());
    const self = (
      await app().inject({
        method: 'GET',
        url: `/_keyforge/keys?vendor=peaka&tenant=${partner.tenant}`,
        headers: adminHeaders,
      })
    ).json().keys[0];
    expect(self).toMatchObject({ kind: 'partner', project: null });
    expect((await deleteKey(app(), partner.secret, partner.project, self.id)).statusCode).toBe(404);
    expect((await createKey(app(), partner.secret, partner.project)).statusCode).toBe(200);
  });

  it('answers 404 to an apiKeyId that is not a UUID', async () => {
    const res = await deleteKey(app(), DEMO.secret, DEMO.project, 'not-a-uuid');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual(
      springError(404, 'Not Found', 'API key not found', `${keysPath(DEMO.project)}/not-a-uuid`),
    );
  });

  it('shows issued keys to the admin API with their project and kind', async () => {
    const partner = await newPartner(app());
    const key = await newProjectKey(app(), partner, { name: 'seen' });
    const res = await app().inject({
      method: 'GET',
      url: `/_keyforge/keys?vendor=peaka&tenant=${partner.tenant}`,
      headers: adminHeaders,
    });
    expect(res.json().keys).toContainEqual(
      expect.objectContaining({ id: key.id, kind: 'project', project: partner.project, name: 'seen', state: 'active' }),
    );
  });
});

describe('Peaka expiry (injected clock)', () => {
  let now = new Date('2030-01-01T00:00:00.000Z');
  const app = useTestApp({}, { clock: () => now });

  it('authenticates a key until expiresAt and refuses it from then on, while it stays listed', async () => {
    now = new Date('2030-01-01T00:00:00.000Z');
    const key = await newProjectKey(app(), DEMO, { name: 'short', expiresAt: '2030-01-01T01:00:00Z' });
    expect((await createKey(app(), key.secret, DEMO.project)).statusCode).toBe(403);

    now = new Date('2030-01-01T00:59:59.999Z');
    expect((await createKey(app(), key.secret, DEMO.project)).statusCode).toBe(403);

    now = new Date('2030-01-01T01:00:00.000Z');
    const expired = await createKey(app(), key.secret, DEMO.project);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toEqual(
      springError(401, 'Unauthorized', 'Invalid API key', keysPath(DEMO.project), '2030-01-01T01:00:00.000+00:00'),
    );

    const listed = (await listKeys(app(), DEMO.secret, DEMO.project)).json();
    expect(listed).toContainEqual({ name: 'short', apiKeyId: key.id, expiresAt: '2030-01-01T01:00:00Z' });
  });

  it("judges 'in the past' by the app's clock, not the wall clock", async () => {
    now = new Date('2030-01-01T00:00:00.000Z');
    const res = await createKey(app(), DEMO.secret, DEMO.project, { expiresAt: '2029-12-31T23:59:59Z' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual(
      springError(400, 'Bad Request', 'expiresAt: must be in the future', keysPath(DEMO.project), springTimestamp(now)),
    );
    const atNow = await createKey(app(), DEMO.secret, DEMO.project, { expiresAt: '2030-01-01T00:00:00Z' });
    expect(atNow.statusCode).toBe(400);
  });
});

describe('Peaka permission matrix', () => {
  const app = useTestApp();
  let mine: Partner;
  let theirs: Partner;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    mine = await newPartner(app(), 'matrix-mine');
    theirs = await newPartner(app(), 'matrix-theirs');
    secrets.partner = mine.secret;
    secrets.otherPartner = theirs.secret;
    secrets.projectKey = (await newProjectKey(app(), mine)).secret;
    const gone = await newProjectKey(app(), mine);
    await deleteKey(app(), mine.secret, mine.project, gone.id);
    secrets.deletedKey = gone.secret;
    secrets.none = '';
  });

  const OPERATIONS = ['create', 'list', 'delete'] as const;
  // credential → status for create, list and delete of a key in `mine`'s project.
  const MATRIX: Array<[string, number, number, number]> = [
    ['partner', 200, 200, 200],
    ['otherPartner', 404, 404, 404],
    ['projectKey', 403, 403, 403],
    ['deletedKey', 401, 401, 401],
    ['none', 401, 401, 401],
  ];
  const cases = MATRIX.flatMap(([who, ...statuses]) => OPERATIONS.map((op, i) => [who, op, statuses[i]!] as const));

  it.each(cases)('%s: %s answers %i', async (who, op, status) => {
    const headers = secrets[who] ? bearer(secrets[who]) : {};
    const target = await newProjectKey(app(), mine);
    const res =
      op === 'create'
        ? await vendorCall(app(), 'peaka', {
            method: 'POST',
            url: keysPath(mine.project),
            headers: { ...headers, 'content-type': 'application/json' },
            payload: '{}',
          })
        : op === 'list'
          ? await app().inject({ method: 'GET', url: keysPath(mine.project), headers })
          : await app().inject({ method: 'DELETE', url: `${keysPath(mine.project)}/${target.id}`, headers });
    expect(res.statusCode, res.body).toBe(status);
    if (status >= 400) expect(Object.keys(res.json())).toEqual(['timestamp', 'status', 'error', 'message', 'path']);
    if (status === 403) expect(res.json().message).toBe(FORBIDDEN);
  });
});

describe('Peaka isolation between partners', () => {
  const app = useTestApp();

  it("sends the admin API's request as is and gets a key", async () => {
    const partner = await newPartner(app(), 'as-is');
    const { method, path, headers, body } = partner.request;
    const res = await vendorCall(app(), 'peaka', { method, url: path, headers, payload: JSON.stringify(body) });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe('test');
  });

  it("never shows or touches another partner's keys, and answers as if they did not exist", async () => {
    const a = await newPartner(app(), 'iso-a');
    const b = await newPartner(app(), 'iso-b');
    const aKey = await newProjectKey(app(), a, { name: 'a-key' });
    const bKey = await newProjectKey(app(), b, { name: 'b-key' });
    const notFound = (path: string, message: string) => springError(404, 'Not Found', message, path);

    const bListsA = await listKeys(app(), b.secret, a.project);
    expect(bListsA.json()).toEqual(notFound(keysPath(a.project), 'Project not found'));
    expect(bListsA.body).not.toContain(aKey.id);
    const bDeletesA = await deleteKey(app(), b.secret, a.project, aKey.id);
    expect(bDeletesA.json()).toEqual(notFound(`${keysPath(a.project)}/${aKey.id}`, 'Project not found'));
    // Through its own project, b still cannot reach a's key: same answer as a random id.
    const viaOwn = await deleteKey(app(), b.secret, b.project, aKey.id);
    const random = await deleteKey(app(), b.secret, b.project, '00000000-0000-4000-8000-000000000000');
    expect(viaOwn.statusCode).toBe(404);
    expect({ ...viaOwn.json(), timestamp: 0, path: '' }).toEqual({ ...random.json(), timestamp: 0, path: '' });

    expect((await listKeys(app(), a.secret, a.project)).json()).toEqual([{ name: 'a-key', apiKeyId: aKey.id }]);
    expect((await listKeys(app(), b.secret, b.project)).json()).toEqual([{ name: 'b-key', apiKeyId: bKey.id }]);
  });
});

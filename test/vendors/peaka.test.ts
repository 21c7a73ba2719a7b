// Peaka create: POST /api/v1/projects/:projectId/apiKeys with a partner key (docs/vendors/peaka.md).
import { describe, expect, it } from 'vitest';
import { useTestApp, vendorCall } from '../helper.js';
import {
  bearer,
  createKey,
  DEMO,
  KEY,
  keysPath,
  newPartner,
  newProjectKey,
  springError,
  UUID,
} from './peaka-support.js';

const FUTURE = '2099-09-10T10:11:00Z';
const JSON_TYPE = { 'content-type': 'application/json' };

describe('Peaka create API key', () => {
  const app = useTestApp();

  describe('success', () => {
    it('answers 200 {name, apiKey, apiKeyId} in that order with no expiresAt when none is asked for', async () => {
      const res = await createKey(app(), DEMO.secret, DEMO.project, { name: 'test' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(Object.keys(body)).toEqual(['name', 'apiKey', 'apiKeyId']);
      expect(body).toEqual({ name: 'test', apiKey: expect.stringMatching(KEY), apiKeyId: expect.stringMatching(UUID) });
    });

    it('serves the same call under /peaka', async () => {
      const res = await vendorCall(app(), 'peaka', {
        method: 'POST',
        url: keysPath(DEMO.project, '/peaka'),
        headers: { ...bearer(DEMO.secret), ...JSON_TYPE },
        payload: { name: 'mounted' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        name: 'mounted',
        apiKey: expect.stringMatching(KEY),
        apiKeyId: expect.stringMatching(UUID),
      });
    });

    it.each([
      ['a UTC date-time as given', FUTURE, FUTURE],
      ['an offset date-time normalised to UTC', '2099-09-10T12:11:00+02:00', FUTURE],
      ['fractional seconds kept to the millisecond', '2099-09-10T10:11:00.5Z', '2099-09-10T10:11:00.500Z'],
    ])('echoes expiresAt as %s', async (_what, expiresAt, echoed) => {
      const res = await createKey(app(), DEMO.secret, DEMO.project, { name: 'expiring', expiresAt });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(Object.keys(body)).toEqual(['name', 'apiKey', 'apiKeyId', 'expiresAt']);
      expect(body.expiresAt).toBe(echoed);
    });

    it.each([
      ['an empty object', {}],
      ['null name and expiresAt', { name: null, expiresAt: null }],
    ])('accepts %s and leaves name and expiresAt out of the answer', async (_what, payload) => {
      const res = await createKey(app(), DEMO.secret, DEMO.project, payload);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ apiKey: expect.stringMatching(KEY), apiKeyId: expect.stringMatching(UUID) });
    });

    it('ignores unknown properties, as Jackson does by default', async () => {
      const res = await createKey(app(), DEMO.secret, DEMO.project, { name: 'extra', role: 'admin' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        name: 'extra',
        apiKey: expect.stringMatching(KEY),
        apiKeyId: expect.stringMatching(UUID),
      });
    });

    it('accepts application/json with a charset and application/*+json', async () => {
      for (const type of ['application/json; charset=utf-8', 'application/vnd.peaka+json']) {
        const res = await vendorCall(app(), 'peaka', {
          method: 'POST',
          url: keysPath(DEMO.project),
          headers: { ...bearer(DEMO.secret), 'content-type': type },
          payload: '{"name":"typed"}',
        });
        expect(res.statusCode, type).toBe(200);
      }
    });
  });

  describe('body validation answers 400 in the Spring shape', () => {
    const path = keysPath(DEMO.project);
    const DATE_TIME = 'expiresAt: must be an ISO-8601 date-time with a time zone, e.g. 2027-09-10T10:11:00Z';
    it.each([
      ['expiresAt is not a date', { expiresAt: 'tomorrow' }, DATE_TIME],
      ['expiresAt is a date without a time', { expiresAt: '2099-09-10' }, DATE_TIME],
      ['expiresAt has no time zone', { expiresAt: '2099-09-10T10:11:00' }, DATE_TIME],
      ['expiresAt is an impossible date', { expiresAt: '2099-02-30T10:11:00Z' }, DATE_TIME],
      ['expiresAt is a number', { expiresAt: 4102444800 }, DATE_TIME],
      ['expiresAt is in the past', { expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt: must be in the future'],
      ['name is not a string', { name: 42 }, 'name: must be a string'],
      ['name and expiresAt are both wrong', { name: ['a'], expiresAt: 'soon' }, `name: must be a string; ${DATE_TIME}`],
      ['the body is an array', [{ name: 'x' }], 'Request body must be a JSON object'],
      ['the body is a string', 'name', 'Request body must be a JSON object'],
    ])('when %s', async (_what, payload, message) => {
      const res = await createKey(app(), DEMO.secret, DEMO.project, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(springError(400, 'Bad Request', message, path));
    });

    it('names every key of the Spring error body in Spring order', async () => {
      const res = await createKey(app(), DEMO.secret, DEMO.project, { name: 1 });
      expect(Object.keys(res.json())).toEqual(['timestamp', 'status', 'error', 'message', 'path']);
    });
  });

  describe('unreadable bodies', () => {
    const path = keysPath(DEMO.project);
    const send = (headers: Record<string, string>, payload?: string) =>
      vendorCall(app(), 'peaka', {
        method: 'POST',
        url: path,
        headers: { ...bearer(DEMO.secret), ...headers },
        ...(payload === undefined ? {} : { payload }),
      });

    it.each([
      [
        'malformed JSON',
        400,
        JSON_TYPE,
        '{"name":',
        'Bad Request',
        'JSON parse error: the request body is not valid JSON',
      ],
      ['an empty JSON body', 400, JSON_TYPE, '', 'Bad Request', 'Required request body is missing'],
      ['a whitespace-only JSON body', 400, JSON_TYPE, '  \n', 'Bad Request', 'Required request body is missing'],
      ['a JSON null body', 400, JSON_TYPE, 'null', 'Bad Request', 'Required request body is missing'],
      ['no body and no Content-Type', 400, {}, undefined, 'Bad Request', 'Required request body is missing'],
      [
        'text/plain',
        415,
        { 'content-type': 'text/plain' },
        '{"name":"x"}',
        'Unsupported Media Type',
        "Content-Type 'text/plain' is not supported",
      ],
      [
        'an empty text/plain body',
        415,
        { 'content-type': 'text/plain' },
        '',
        'Unsupported Media Type',
        "Content-Type 'text/plain' is not supported",
      ],
      [
        'form data',
        415,
        { 'content-type': 'application/x-www-form-urlencoded' },
        'name=x',
        'Unsupported Media Type',
        "Content-Type 'application/x-www-form-urlencoded' is not supported",
      ],
      [
        'a body without Content-Type',
        415,
        {},
        '{"name":"x"}',
        'Unsupported Media Type',
        "Content-Type 'application/octet-stream' is not supported",
      ],
      [
        'a Content-Type that is not a media type',
        415,
        { 'content-type': 'nonsense' },
        '{}',
        'Unsupported Media Type',
        "Content-Type 'nonsense' is not supported",
      ],
    ])('answers %s with %i', async (_what, status, headers, payload, error, message) => {
      const res = await send(headers, payload);
      expect(res.statusCode).toBe(status);
      expect(res.json()).toEqual(springError(status, error, message, path));
    });
  });

  describe('authentication (401, before the body is read)', () => {
    const path = keysPath(DEMO.project);
    const MISSING = 'Full authentication is required to access this resource';
    it.each([
      ['no Authorization header', {}, MISSING],
      ['another scheme', { authorization: `Api-Key ${DEMO.secret}` }, MISSING],
      ['an empty Bearer', { authorization: 'Bearer ' }, MISSING],
      ['a garbled key', { authorization: 'Bearer not-a-peaka-key' }, 'Invalid API key'],
      ['an unknown well-formed key', bearer('AAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'), 'Invalid API key'],
      [
        'a known prefix with the wrong secret',
        bearer(`${DEMO.secret.split('.')[0]}.${'x'.repeat(32)}`),
        'Invalid API key',
      ],
    ])('refuses %s', async (_what, headers, message) => {
      const res = await vendorCall(app(), 'peaka', {
        method: 'POST',
        url: path,
        headers: { ...headers, ...JSON_TYPE },
        payload: '{"name":"x"}',
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.json()).toEqual(springError(401, 'Unauthorized', message, path));
    });

    it('answers 401, not 400, to an unauthenticated malformed body', async () => {
      const res = await vendorCall(app(), 'peaka', { method: 'POST', url: path, headers: JSON_TYPE, payload: '{oops' });
      expect(res.statusCode).toBe(401);
    });
  });

  describe('permissions and projects', () => {
    it('answers 403 to a project key, which authenticates but may not manage keys', async () => {
      const key = await newProjectKey(app(), DEMO);
      const res = await createKey(app(), key.secret, DEMO.project);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual(
        springError(
          403,
          'Forbidden',
          'Project API keys may not manage API keys; use a Partner API key',
          keysPath(DEMO.project),
        ),
      );
    });

    it('answers 403 to a project key before looking at its body', async () => {
      const key = await newProjectKey(app(), DEMO);
      const res = await createKey(app(), key.secret, DEMO.project, { expiresAt: 'never' });
      expect(res.statusCode).toBe(403);
    });

    it("answers 404 Project not found to another partner's project, exactly as to a missing one", async () => {
      const other = await newPartner(app());
      const theirs = await createKey(app(), DEMO.secret, other.project);
      const missing = await createKey(app(), DEMO.secret, 'Nope0000');
      expect(theirs.statusCode).toBe(404);
      expect(theirs.json()).toEqual(springError(404, 'Not Found', 'Project not found', keysPath(other.project)));
      expect(missing.json()).toEqual(springError(404, 'Not Found', 'Project not found', keysPath('Nope0000')));
    });

    it('validates the body before looking up the project (400 before 404)', async () => {
      const res = await createKey(app(), DEMO.secret, 'Nope0000', { expiresAt: '2001-01-01T00:00:00Z' });
      expect(res.statusCode).toBe(400);
    });
  });

  describe('routing', () => {
    it('answers an unsupported method on a Peaka path 405 with Allow, after authentication', async () => {
      const path = keysPath(DEMO.project);
      const res = await app().inject({ method: 'PUT', url: path, headers: bearer(DEMO.secret) });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('POST, GET'); // the mappings' declared methods, as Spring 6 lists them
      expect(res.json()).toEqual(springError(405, 'Method Not Allowed', "Method 'PUT' is not supported.", path));
      expect((await app().inject({ method: 'PUT', url: path })).statusCode).toBe(401);
    });

    it('answers unknown paths under /peaka with Spring 404 "No endpoint"', async () => {
      const res = await app().inject({ method: 'GET', url: '/peaka/api/v1/projects?x=1' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual(
        springError(404, 'Not Found', 'No endpoint GET /peaka/api/v1/projects.', '/peaka/api/v1/projects'),
      );
    });
  });
});

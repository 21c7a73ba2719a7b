// The same hostile calls against an app on SQLite and one on PostgreSQL, answers compared: NUL
// (U+0000, which PostgreSQL text cannot hold) in names, tenants, paths, scopes and fault paths;
// names far over PostgreSQL's btree row limit (~2.7 KB); fault counts and ids past 2^31. Each
// call must get the same answer on both engines (status and body, with secrets, ids and times
// normalised), never a 500, and what was stored must read back exactly as it was written.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { basic } from '../../src/vendors/basic/index.js';
import { baseten } from '../../src/vendors/baseten/index.js';
import { bytebeam } from '../../src/vendors/bytebeam/index.js';
import { imtegrate } from '../../src/vendors/imtegrate/index.js';
import { DIALECTS } from '../../src/vendors/index.js';
import { peaka } from '../../src/vendors/peaka/index.js';
import { adminHeaders, buildTestApp } from '../helper.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';

const NUL = '\u0000';
const LONG = 'x'.repeat(10_000);
const LONG_WIDE = 'é😀'.repeat(2000); // 12,000 bytes of UTF-8

/** The demo tenants' credentials (and the admin token). */
const auth = {
  basic: { authorization: `Bearer ${basic.demo.secret}` },
  baseten: { authorization: `Api-Key ${baseten.demo.secret}` },
  bytebeam: { 'x-bytebeam-api-key': bytebeam.demo.secret, 'x-bytebeam-tenant': bytebeam.demo.tenant },
  peaka: { authorization: `Bearer ${peaka.demo.secret}` },
  imtegrate: { authorization: `Bearer ${imtegrate.demo.secret}` },
  admin: adminHeaders,
};
const BASIC = `/project/${basic.demo.project!}/key`;
const PEAKA = `/api/v1/projects/${peaka.demo.project!}/apiKeys`;

interface Answer {
  status: number;
  body: unknown;
}
type Send = (options: InjectOptions & { url: string }) => Promise<Answer & { raw: unknown }>;

/** A hostile scenario: calls in order, each answer recorded for comparison. */
interface Scenario {
  name: string;
  run(send: Send, record: (answer: Answer) => void): Promise<void>;
}

const json = (method: InjectOptions['method'], url: string, headers: Record<string, string>, payload?: unknown) => ({
  method,
  url,
  headers,
  ...(payload === undefined ? {} : { payload: payload as object }),
});

const SCENARIOS: Scenario[] = [
  {
    name: 'Baseten: a name with NUL is stored, listed back exactly, and its key deleted',
    async run(send, record) {
      record(await send(json('POST', '/v1/api_keys', auth.baseten, { name: `a${NUL}b`, type: 'PERSONAL' })));
      // A lone surrogate becomes U+FFFD in UTF-8 on both engines; U+FFFF, the escape of text.ts, stays itself.
      record(await send(json('POST', '/v1/api_keys', auth.baseten, { name: '\ud800', type: 'PERSONAL' })));
      record(
        await send(json('POST', '/v1/api_keys', auth.baseten, { name: `\uffff0${NUL}\uffff\uffff`, type: 'PERSONAL' })),
      );
      const list = await send(json('GET', '/v1/api_keys', auth.baseten));
      record(list);
      const names = (list.raw as { keys: Array<{ name: string; prefix: string }> }).keys;
      expect(names.map((k) => k.name)).toEqual(['keyforge-root', `a${NUL}b`, '\ufffd', `\uffff0${NUL}\uffff\uffff`]);
      const mine = names.find((k) => k.name === `a${NUL}b`);
      record(await send(json('DELETE', `/v1/api_keys/${mine!.prefix}`, auth.baseten)));
    },
  },
  {
    name: 'Baseten: model ids with NUL (a JSON array column)',
    async run(send, record) {
      record(
        await send(
          json('POST', '/v1/api_keys', auth.baseten, {
            name: 'm',
            type: 'WORKSPACE_INVOKE',
            model_ids: [`m${NUL}1`, NUL],
          }),
        ),
      );
      const list = await send(json('GET', '/v1/api_keys', auth.baseten));
      expect(
        (list.raw as { keys: Array<{ model_ids: string[] | null }> }).keys.some((k) => k.model_ids?.[0] === `m${NUL}1`),
      ).toBe(true);
      record(list);
    },
  },
  {
    name: 'Baseten: DELETE of a NUL prefix is a 404',
    async run(send, record) {
      record(await send(json('DELETE', '/v1/api_keys/%00', auth.baseten)));
      record(await send(json('DELETE', '/v1/api_keys/a%00b', auth.baseten)));
    },
  },
  {
    name: 'Bytebeam: names and roles with NUL, the creator named by such a key, delete by such a name',
    async run(send, record) {
      const created = await send(json('POST', '/api/v1/apikeys', auth.bytebeam, { name: `a${NUL}b`, role: 'admin' }));
      record(created);
      record(await send(json('POST', '/api/v1/apikeys', auth.bytebeam, { name: `a${NUL}b`, role: 'admin' }))); // taken
      record(await send(json('POST', '/api/v1/apikeys', auth.bytebeam, { name: `a${NUL}c`, role: `ad${NUL}min` })));
      const byNulKey = {
        'x-bytebeam-api-key': (created.raw as { key: string }).key,
        'x-bytebeam-tenant': 'demo-tenant',
      };
      record(await send(json('POST', '/api/v1/apikeys', byNulKey, { name: 'made-by-nul', role: 'viewer' })));
      record(await send(json('GET', '/api/v1/apikeys', auth.bytebeam)));
      record(await send(json('DELETE', '/api/v1/apikeys/a%00b', auth.bytebeam)));
      record(await send(json('DELETE', '/api/v1/apikeys/a%00b', auth.bytebeam)));
      record(await send(json('DELETE', '/api/v1/apikeys/%00', auth.bytebeam)));
      record(await send(json('GET', '/api/v1/apikeys', auth.bytebeam)));
    },
  },
  {
    name: 'Basic: a label and roles with NUL, a project id and key id with NUL',
    async run(send, record) {
      const created = await send(json('POST', BASIC, auth.basic, { label: `a${NUL}b`, roles: `read,${NUL}` }));
      record(created);
      const id = (created.raw as { key?: { id: string } }).key?.id;
      if (id) record(await send(json('GET', `${BASIC}/${id}`, auth.basic)));
      record(await send(json('GET', '/project/%00/key', auth.basic)));
      record(await send(json('GET', `${BASIC}/%00`, auth.basic)));
      record(await send(json('DELETE', `${BASIC}/a%00b`, auth.basic)));
    },
  },
  {
    name: 'Peaka: a name with NUL; a project id and key id with NUL',
    async run(send, record) {
      record(await send(json('POST', PEAKA, auth.peaka, { name: `a${NUL}b` })));
      record(await send(json('GET', PEAKA, auth.peaka)));
      record(await send(json('GET', '/api/v1/projects/%00/apiKeys', auth.peaka)));
      record(await send(json('DELETE', `${PEAKA}/%00`, auth.peaka)));
    },
  },
  {
    name: 'Imtegrate: a name and scopes with NUL; a key id with NUL',
    async run(send, record) {
      record(
        await send(
          json('POST', '/v1/api-keys', auth.imtegrate, { name: `a${NUL}b`, scopes: [`x${NUL}`, 'api_keys:read'] }),
        ),
      );
      record(await send(json('GET', '/v1/api-keys', auth.imtegrate)));
      record(await send(json('POST', '/v1/api-keys/%00/revoke', auth.imtegrate)));
    },
  },
  {
    name: 'admin: a tenant, a key id and a secret with NUL',
    async run(send, record) {
      record(await send(json('GET', '/_keyforge/keys?tenant=a%00b', auth.admin)));
      record(await send(json('GET', '/_keyforge/keys?vendor=baseten&tenant=%00', auth.admin)));
      record(await send(json('POST', '/_keyforge/keys/%00/revoke', auth.admin)));
      record(await send(json('POST', '/_keyforge/keys/a%00b/revoke', auth.admin)));
      record(
        await send(
          json('POST', '/_keyforge/keys/verify', auth.admin, { vendor: 'baseten', secret: `kfdemo01${NUL}x` }),
        ),
      );
      record(await send(json('POST', '/_keyforge/tenants', auth.admin, { vendor: 'baseten', tenant: `a${NUL}b` })));
    },
  },
  {
    name: 'admin: a fault whose path holds NUL is stored and listed back exactly',
    async run(send, record) {
      record(
        await send(
          json('PUT', '/_keyforge/faults', auth.admin, { vendor: 'baseten', path: `/v1/a${NUL}b`, status: 500 }),
        ),
      );
      const listed = await send(json('GET', '/_keyforge/faults', auth.admin));
      expect((listed.raw as { faults: Array<{ path?: string }> }).faults.map((f) => f.path)).toContain(`/v1/a${NUL}b`);
      record(listed);
      record(await send(json('GET', '/v1/api_keys', auth.baseten))); // the fault's path is not this one
      record(await send(json('DELETE', '/_keyforge/faults', auth.admin)));
    },
  },
  {
    name: 'journal: a raw NUL in a refused body and a NUL in a path are journaled exactly',
    async run(send, record) {
      record(
        await send({
          method: 'POST',
          url: '/v1/api_keys',
          headers: { ...auth.baseten, 'content-type': 'application/json' },
          payload: `{"name":"a${NUL}b","type":"PERSONAL"}`,
        }),
      );
      record(await send(json('DELETE', '/v1/api_keys/q%00', auth.baseten)));
      const { raw } = await send(json('GET', '/_keyforge/requests?vendor=baseten&limit=2', auth.admin));
      const entries = (raw as { requests: Array<{ path: string; status: number; request: { body: string | null } }> })
        .requests;
      expect(entries[1]!.request.body).toBe(`{"name":"a${NUL}b","type":"PERSONAL"}`);
      record({ status: 200, body: entries.map((e) => ({ path: e.path, status: e.status, body: e.request.body })) });
    },
  },
  {
    name: 'long names: every vendor without a length limit stores and lists a 10,000-character name',
    async run(send, record) {
      for (const name of [LONG, LONG_WIDE]) {
        record(await send(json('POST', '/v1/api_keys', auth.baseten, { name, type: 'PERSONAL' })));
        record(await send(json('POST', '/api/v1/apikeys', auth.bytebeam, { name, role: 'admin' })));
        record(await send(json('POST', '/api/v1/apikeys', auth.bytebeam, { name, role: 'admin' }))); // taken, however long
        record(await send(json('POST', BASIC, auth.basic, { label: name, roles: name })));
        record(await send(json('POST', PEAKA, auth.peaka, { name })));
        record(await send(json('POST', '/v1/api-keys', auth.imtegrate, { name, scopes: [] }))); // pydantic's max_length: 422
      }
      record(await send(json('GET', '/api/v1/apikeys', auth.bytebeam)));
      record(await send(json('GET', '/v1/api_keys', auth.baseten)));
      record(await send(json('GET', BASIC, auth.basic)));
      record(await send(json('GET', PEAKA, auth.peaka)));
    },
  },
  {
    name: 'faults: counts and ids at and past 2^31, up to 2^53 - 1',
    async run(send, record) {
      for (const count of [
        2 ** 31 - 1,
        2 ** 31,
        2 ** 32 + 1,
        Number.MAX_SAFE_INTEGER,
        Number.MAX_SAFE_INTEGER + 1,
        1e300,
      ]) {
        record(
          await send(
            json('PUT', '/_keyforge/faults', auth.admin, { vendor: 'peaka', status: 418, probability: 0, count }),
          ),
        );
      }
      record(await send(json('GET', '/_keyforge/faults', auth.admin)));
      for (const id of [
        '2147483647',
        '2147483648',
        '4294967297',
        String(Number.MAX_SAFE_INTEGER),
        '9007199254740993',
        '1e300',
        '-2147483649',
      ]) {
        record(await send(json('DELETE', `/_keyforge/faults?id=${id}`, auth.admin)));
      }
      record(await send(json('DELETE', '/_keyforge/faults', auth.admin)));
    },
  },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const SECRETS = DIALECTS.map((d) => new RegExp(d.keyFormat.pattern.source, 'g'));
/** Fields whose values are drawn at random (ids, lookup prefixes) or are times. */
const RANDOM_FIELDS = new Set([
  'id',
  'prefix',
  'apiKeyId',
  'org_id',
  'created_at',
  'createdAt',
  'last_used_at',
  'revoked_at',
  'expiresAt',
  'time',
  'timestamp',
  'latencyMs',
]);

/** An answer with what differs from run to run (secrets, ids, times) replaced by placeholders. */
function normalised(value: unknown, field?: string): unknown {
  if (field !== undefined && RANDOM_FIELDS.has(field) && value !== null) return `<${field}>`;
  if (typeof value === 'string') {
    if (UUID.test(value)) return '<uuid>';
    if (TIME.test(value)) return '<time>';
    return SECRETS.reduce((text, pattern) => text.replace(pattern, '<secret>'), value);
  }
  if (Array.isArray(value)) return value.map((item) => normalised(item));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalised(v, k)]));
  return value;
}

/** `--auth any`: a made-up credential names its own tenant, from a header a client fills. */
const ANY_AUTH_SCENARIOS: Scenario[] = [
  {
    name: '--auth any: Bytebeam tenants named by a 3,000-character header, or one holding U+FFFF',
    async run(send, record) {
      for (const tenant of ['t'.repeat(3000), 'a\uffffb', 'a\uffff0b']) {
        const headers = {
          'x-bytebeam-api-key': '0f0e0d0c-0b0a-4908-8706-050403020100'.replace(
            '0f0e',
            tenant.length === 3000 ? '1f0e' : tenant.length === 3 ? '2f0e' : '3f0e',
          ),
          'x-bytebeam-tenant': tenant,
        };
        record(await send(json('POST', '/api/v1/apikeys', headers, { name: 'k', role: 'admin' })));
        record(await send(json('GET', '/api/v1/apikeys', headers)));
      }
      record(await send(json('GET', `/_keyforge/keys?vendor=bytebeam&tenant=${'t'.repeat(3000)}`, auth.admin)));
      record(await send(json('GET', '/_keyforge/keys?vendor=bytebeam&tenant=a%EF%BF%BF0b', auth.admin)));
    },
  },
];

/** Runs each scenario on SQLite, then on PostgreSQL, and compares what they answered. */
function compareEngines(title: string, overrides: Parameters<typeof buildTestApp>[0], scenarios: Scenario[]): void {
  describeWithPostgres(title, () => {
    const apps: Record<'sqlite' | 'postgres', FastifyInstance | undefined> = { sqlite: undefined, postgres: undefined };

    beforeAll(async () => {
      apps.sqlite = await buildTestApp({ instance: 'parity', ...overrides });
      apps.postgres = await buildTestApp({ instance: 'parity', ...overrides, db: await freshDatabase() });
    }, 30_000);
    afterAll(async () => {
      await apps.sqlite?.close();
      await apps.postgres?.close();
    });

    it.each(scenarios)('$name', async ({ run }) => {
      const answers: Record<string, Answer[]> = {};
      for (const engine of ['sqlite', 'postgres'] as const) {
        const app = apps[engine]!;
        const send: Send = async (options) => {
          const response = await app.inject(options);
          let raw: unknown = response.body;
          try {
            raw = JSON.parse(response.body);
          } catch {
            // not JSON: compared as text
          }
          expect(
            response.statusCode,
            `${engine}: ${options.method} ${options.url.slice(0, 100)} → ${response.body.slice(0, 300)}`,
          ).toBeLessThan(500);
          return { status: response.statusCode, body: normalised(raw), raw };
        };
        const recorded: Answer[] = [];
        await run(send, (answer) => recorded.push({ status: answer.status, body: answer.body }));
        answers[engine] = recorded;
      }
      expect(answers.postgres).toEqual(answers.sqlite);
    });
  });
}

compareEngines('the same hostile calls on SQLite and on PostgreSQL', {}, SCENARIOS);
compareEngines(
  'the same hostile calls on SQLite and on PostgreSQL, with --auth any',
  { auth: 'any' },
  ANY_AUTH_SCENARIOS,
);

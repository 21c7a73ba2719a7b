// How the admin API's generated document reads beyond its route schemas (src/docs/settings.ts).
import type { DocumentSettings } from '../docs/settings.js';

export const adminDocument: DocumentSettings = {
  openapi: '3.0.3',
  basePath: '',
  securitySchemes: {
    adminToken: {
      type: 'http',
      scheme: 'bearer',
      description: 'The admin token: --admin-token / KEYFORGE_ADMIN_TOKEN, or the generated one printed in the banner.',
    },
  },
  security: [{ adminToken: [] }],
  tags: ['keyforge'],
  description: [
    'Emulator controls of keyforge, for tests and their authors. Every call but health needs the admin token; errors are `{error, message}`.',
    '',
    '- **Tenants and keys**: `POST /_keyforge/tenants` issues a root credential and answers the exact request that creates a key with it; `GET /_keyforge/keys` and `POST /_keyforge/keys/verify` look at keys without their secrets.',
    '- **Reset**: `POST /_keyforge/reset` (or `?vendor=`) wipes all state, that vendor\'s journal entries and faults included, and re-applies the demo and seed credentials, atomically: calls in flight finish first, new calls wait (on every instance of a cluster). It answers `{"reset": [vendors]}`. A global reset also returns the test clock to real time.',
    "- **One tenant** (parallel test workers): `POST /_keyforge/reset?vendor=V&tenant=T` removes the keys that tenant's credentials issued, its journal entries and faults, and keeps the tenant and its live root credentials; `DELETE /_keyforge/tenants/{vendor}/{tenant}` removes the tenant with its projects and every key, refused at once on every instance. Both answer what they removed, 404 for an unknown tenant, and touch no other tenant.",
    '- **Test clock**: `GET /_keyforge/clock` answers `{now, offsetMs}`; `PUT` with `{"advance": "PT2H"}` (an ISO-8601 duration) or `{"at": "2030-01-01T00:00:00Z"}` moves it, `DELETE` returns to real time. Expiry checks, timestamps in vendor answers and rate-limit windows follow it on every instance; the journal shows the emulated time beside the real one.',
    '- **Journal**: `GET /_keyforge/requests` lists recent vendor calls, newest first, with headers and bodies redacted, and for a refused call the check that refused it (`refusal`) and the body the client sent.',
    "- **Faults**: `PUT /_keyforge/faults` makes a vendor (or a path prefix of it) answer a status in its own error shape and/or wait `latencyMs`, with a probability, for `count` calls; faults act before auth and validation, or with `tenant` only for that tenant's calls, after auth and before validation. `GET` lists them with their hits, `DELETE` clears all, one vendor's or one.",
    '- **Health**: `GET /_keyforge/health` needs no token. It answers 200 `ok`; 503 `degraded` with the reason while the database does not answer; and 200 `degraded` with the reason while this instance cannot hear the other instances of its cluster (reconnecting its listening connection): it still answers correctly then, checking what it caches against the database.',
    '- **Outages**: while the database does not answer, every other call answers 503 `{"error": "Service Unavailable", "message": "the database is unavailable: <reason>"}`; the instance recovers by itself.',
  ].join('\n'),
};

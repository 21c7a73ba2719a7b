// What each generated document says beyond the route schemas: OpenAPI version, server base
// path and security schemes, copied from the vendor's own document in openapi/ so clients
// generated from either read the same. Kept here, not in the vendor folders, because it is
// documentation only: the vendor plugins enforce auth themselves.
import type { OpenAPIV3 } from 'openapi-types';
import type { VendorName } from '../vendors/dialect.js';

export type DocumentName = VendorName | 'keyforge';

export interface DocumentSettings {
  /** The version of the vendor's own document, so nullability and examples read the same. */
  openapi: '3.0.3' | '3.1.0';
  /** The path the vendor's server URL ends in; its routes are documented relative to it. */
  basePath: string;
  securitySchemes: Record<string, OpenAPIV3.SecuritySchemeObject>;
  /** The requirement for operations whose route declares none. */
  security: OpenAPIV3.SecurityRequirementObject[];
  /** Tags for the operations whose route declares none. */
  tags?: string[];
  description?: string;
  /**
   * The create call's example body in media types other than the example request's own
   * (which tailor() takes from the dialect), as typed into Try it out. Without one Swagger UI
   * pre-fills JSON whatever the media type selected.
   */
  createBodyExamples?: Record<string, unknown>;
}

export const DOCUMENTS: Record<DocumentName, DocumentSettings> = {
  basic: {
    openapi: '3.0.3',
    basePath: '',
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'JWT Authorization Token header using the Bearer scheme',
      },
      apiKeyAuth: { type: 'http', scheme: 'bearer', description: 'API Key Authorization header using the Bearer scheme' },
    },
    // Basic's document states this per operation (with `security: []` at the top); either
    // way each operation accepts a JWT or an API key.
    security: [{ bearerAuth: [] }, { apiKeyAuth: [] }],
    tags: ['project-keys'],
  },
  baseten: {
    openapi: '3.1.0',
    basePath: '',
    securitySchemes: {
      ApiKeyAuth: {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: "You must specify the scheme 'Api-Key' in the Authorization header. For example, `Authorization: Api-Key <Your_Api_Key>`",
      },
    },
    security: [{ ApiKeyAuth: [] }],
  },
  bytebeam: {
    openapi: '3.0.3',
    basePath: '',
    securitySchemes: {
      apiKeyAuth: { type: 'apiKey', name: 'x-bytebeam-api-key', in: 'header', description: 'API key required to authenticate requests.' },
      tenantAuth: {
        type: 'apiKey',
        name: 'x-bytebeam-tenant',
        in: 'header',
        description: 'Tenant(Project) name required to identify the project.',
      },
    },
    security: [{ apiKeyAuth: [], tenantAuth: [] }],
    tags: ['admin'],
    // The dialect's example body ({name: 'ci', role: 'admin'}) in the text media types;
    // transit+msgpack is binary, which Swagger UI's text box cannot send.
    createBodyExamples: {
      'application/transit+json': ['^ ', '~:name', 'ci', '~:role', 'admin'],
      'application/edn': '{:name "ci", :role "admin"}',
    },
  },
  peaka: {
    openapi: '3.0.3',
    basePath: '/api/v1',
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'Api Key',
        description: "Use the Authorization header with the value 'Bearer <apiKey>' to authenticate.",
      },
    },
    security: [{ bearerAuth: [] }],
    tags: ['Projects -- Api Key'],
  },
  imtegrate: {
    openapi: '3.1.0',
    basePath: '',
    securitySchemes: {
      // Imtegrate's own document only has an optional `Authorization` header parameter, and
      // OpenAPI tools ignore header parameters of that name, so Swagger UI could never send
      // the key. This scheme is keyforge's addition (allow-listed in the contract test).
      HTTPBearer: { type: 'http', scheme: 'bearer', description: 'Send `Authorization: Bearer <API key>`.' },
    },
    security: [{ HTTPBearer: [] }],
    tags: ['api-keys'],
  },
  keyforge: {
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
      '- **Reset**: `POST /_keyforge/reset` (or `?vendor=`) wipes all state, that vendor\'s journal entries and faults included, and re-applies the demo and seed credentials, atomically: calls in flight finish first, new calls wait. It answers `{"reset": [vendors]}`.',
      '- **Journal**: `GET /_keyforge/requests` lists recent vendor calls, newest first, with headers and bodies redacted, and for a refused call the check that refused it (`refusal`) and the body the client sent.',
      '- **Faults**: `PUT /_keyforge/faults` makes a vendor (or a path prefix of it) answer a status in its own error shape and/or wait `latencyMs`, with a probability, for `count` calls; faults act before auth and validation. `GET` lists them with their hits, `DELETE` clears all, one vendor\'s or one.',
      '- **Health**: `GET /_keyforge/health` needs no token.',
    ].join('\n'),
  },
};

// How keyforge's generated document of Bytebeam reads beyond its route schemas (src/docs/settings.ts).
import type { DocumentSettings } from '../../docs/settings.js';

export const document: DocumentSettings = {
  openapi: '3.0.3',
  basePath: '',
  securitySchemes: {
    apiKeyAuth: {
      type: 'apiKey',
      name: 'x-bytebeam-api-key',
      in: 'header',
      description: 'API key required to authenticate requests.',
    },
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
};

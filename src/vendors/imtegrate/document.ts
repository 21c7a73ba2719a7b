// How keyforge's generated document of Imtegrate reads beyond its route schemas (src/docs/settings.ts).
import type { DocumentSettings } from '../../docs/settings.js';

export const document: DocumentSettings = {
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
};

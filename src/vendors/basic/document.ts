// How keyforge's generated document of Basic reads beyond its route schemas (src/docs/settings.ts).
import type { DocumentSettings } from '../../docs/settings.js';

export const document: DocumentSettings = {
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
};

// How keyforge's generated document of Peaka reads beyond its route schemas (src/docs/settings.ts).
import type { DocumentSettings } from '../../docs/settings.js';

export const document: DocumentSettings = {
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
};

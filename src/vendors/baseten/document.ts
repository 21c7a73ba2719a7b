// How keyforge's generated document of Baseten reads beyond its route schemas (src/docs/settings.ts).
import type { DocumentSettings } from '../../docs/settings.js';

export const document: DocumentSettings = {
  openapi: '3.1.0',
  basePath: '',
  securitySchemes: {
    ApiKeyAuth: {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        "You must specify the scheme 'Api-Key' in the Authorization header. For example, `Authorization: Api-Key <Your_Api_Key>`",
    },
  },
  security: [{ ApiKeyAuth: [] }],
};

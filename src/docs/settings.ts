// What each generated document says beyond the route schemas: OpenAPI version, server base
// path and security schemes, copied from the vendor's own document in openapi/ so clients
// generated from either read the same. Each vendor's settings live in its own folder
// (document.ts), the admin API's in src/admin/document.ts; documentation only: the vendor
// plugins enforce auth themselves.
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

// The per-request touches on a generated document: `servers` is this instance as the client
// reached it (so port 0 and proxies work), the create call's example body and path values
// are the dialect's own example request (Try it out then works as pre-filled), and with demo
// credentials on, the description says what to type into Authorize.
import type { OpenAPIV3 } from 'openapi-types';
import type { TenantCredential } from '../bootstrap/credentials.js';
import type { ExampleRequest, VendorDialect } from '../vendors/dialect.js';
import type { DocumentSettings } from './settings.js';

export type OpenApiDocument = OpenAPIV3.Document;

export interface Tailoring {
  settings: DocumentSettings;
  /** `http://127.0.0.1:4010`: scheme and host the request came in with. */
  origin: string;
  dialect?: VendorDialect;
  demo?: TenantCredential;
}

export function tailor(generated: OpenApiDocument, { settings, origin, dialect, demo }: Tailoring): OpenApiDocument {
  // Key order as people write documents: what and where first, schemas last.
  const { openapi, info, paths, components, security, servers: _generated, ...rest } = structuredClone(generated);
  const servers = [{ url: `${origin}${settings.basePath}`, description: 'this keyforge instance' }];
  const document: OpenApiDocument = {
    openapi,
    info,
    servers,
    ...(security ? { security } : {}),
    ...rest,
    paths,
    ...(components ? { components } : {}),
  };
  if (dialect) addExample(document, settings, dialect.createKeyRequest(dialect.demo));
  if (demo) {
    const hint = authorizeHint(document, demo.request.headers);
    if (hint) document.info.description = `${document.info.description ?? ''}\n\n${hint}`.trim();
  }
  return document;
}

/** `/projects/{projectId}/apiKeys` as a pattern capturing each parameter by name. */
function templatePattern(template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const source = escaped.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { pattern: new RegExp(`^${source}$`), names };
}

export interface DocumentedCall {
  /** The path as the document writes it, e.g. `/projects/{projectId}/apiKeys`. */
  template: string;
  operation: OpenAPIV3.OperationObject;
  /** The concrete request's value of each path parameter. */
  pathValues: Record<string, string>;
}

/** The operation a concrete request (path relative to the vendor's root mount) calls. */
export function documentedCall(
  document: OpenApiDocument,
  basePath: string,
  request: ExampleRequest,
): DocumentedCall | undefined {
  const path = request.path.startsWith(basePath) ? request.path.slice(basePath.length) : request.path;
  for (const [template, item] of Object.entries(document.paths)) {
    const { pattern, names } = templatePattern(template);
    const match = pattern.exec(path);
    const operation = item?.[request.method.toLowerCase() as OpenAPIV3.HttpMethods];
    if (!match || !operation) continue;
    const pathValues = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
    return { template, operation, pathValues };
  }
  return undefined;
}

function addExample(document: OpenApiDocument, settings: DocumentSettings, example: ExampleRequest): void {
  const call = documentedCall(document, settings.basePath, example);
  if (!call) return;
  for (const parameter of (call.operation.parameters ?? []) as OpenAPIV3.ParameterObject[]) {
    if (parameter.in === 'path' && parameter.name in call.pathValues)
      parameter.example = call.pathValues[parameter.name];
  }
  const body = call.operation.requestBody as OpenAPIV3.RequestBodyObject | undefined;
  const contentType = Object.entries(example.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const media = body?.content[contentType?.split(';')[0]?.trim() ?? 'application/json'];
  if (media && example.body !== undefined) media.example = example.body;
  for (const [mediaType, value] of Object.entries(settings.createBodyExamples ?? {})) {
    const other = body?.content[mediaType];
    if (other) other.example = value;
  }
}

/**
 * What to enter in Authorize: the first security requirement the demo request satisfies,
 * one value per scheme. A scheme documented as `bearerFormat: JWT` only takes a JWT, so
 * Basic's demo project key goes to `apiKeyAuth`, not to the JWT scheme listed first.
 */
export function authorizeValues(
  document: OpenApiDocument,
  headers: Record<string, string>,
): Record<string, string> | undefined {
  const header = (name: string) =>
    Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  const schemes = document.components?.securitySchemes ?? {};
  for (const requirement of document.security ?? []) {
    const entries = Object.keys(requirement).map((name) => {
      const scheme = schemes[name] as OpenAPIV3.SecuritySchemeObject | undefined;
      const value = authorizeValue(scheme, header);
      const fits =
        value !== undefined && !(scheme?.type === 'http' && scheme.bearerFormat === 'JWT' && !JWT_SHAPE.test(value));
      return fits ? [name, value] : undefined;
    });
    if (entries.length > 0 && entries.every((entry) => entry !== undefined)) return Object.fromEntries(entries);
  }
  return undefined;
}

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

function authorizeHint(document: OpenApiDocument, headers: Record<string, string>): string | undefined {
  const values = authorizeValues(document, headers);
  if (!values) return undefined;
  const lines = Object.entries(values).map(([schemeName, value]) => `- **${schemeName}**: \`${value}\``);
  return ['**Demo credential** of this instance — click *Authorize* and enter:', ...lines].join('\n');
}

/** The value Swagger UI's Authorize dialog needs for a scheme, taken from the demo request's headers. */
export function authorizeValue(
  scheme: OpenAPIV3.SecuritySchemeObject | undefined,
  header: (name: string) => string | undefined,
): string | undefined {
  if (scheme?.type === 'apiKey' && scheme.in === 'header') return header(scheme.name);
  const authorization = header('authorization');
  if (
    scheme?.type === 'http' &&
    scheme.scheme.toLowerCase() === 'bearer' &&
    authorization &&
    /^Bearer\s+/i.test(authorization)
  ) {
    return authorization.replace(/^Bearer\s+/i, '');
  }
  return undefined;
}

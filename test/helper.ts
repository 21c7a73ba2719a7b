// Builds the real app for tests (fast argon2 profile, in-memory SQLite unless told otherwise)
// and sends vendor calls through app.inject(), checking every answer against the vendor's
// own OpenAPI document.
import { afterAll, beforeAll, expect } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type BuildOptions } from '../src/app.js';
import { configSchema, type ConfigInput } from '../src/config.js';
import type { DocumentName } from '../src/docs/settings.js';
import { checkAgainstServed, checkAgainstSpec } from './support/openapi.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export async function buildTestApp(
  overrides: Partial<ConfigInput> = {},
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const config = configSchema.parse({
    db: ':memory:',
    hashProfile: 'fast',
    adminToken: TEST_ADMIN_TOKEN,
    logLevel: 'silent',
    demo: true,
    ...overrides,
  });
  return buildApp(config, options);
}

/** One app for the whole file, closed after it. */
export function useTestApp(overrides: Partial<ConfigInput> = {}, options: BuildOptions = {}): () => FastifyInstance {
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    app = await buildTestApp(overrides, options);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('test app not built yet');
    return app;
  };
}

/** Paths in a vendor's document are relative to its server URL, which for Peaka ends in /api/v1. */
const SPEC_BASE: Record<string, string> = { peaka: '/api/v1' };

export type VendorResponse = LightMyRequestResponse & { json<T = any>(): T }; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Injects a vendor call and asserts the answer matches the vendor's OpenAPI document; a status
 * that document does not list must be listed, with its body's schema, in keyforge's own
 * document of the vendor (/openapi/<vendor>.json), which documents every status keyforge answers.
 */
export async function vendorCall(
  app: FastifyInstance,
  vendor: string,
  options: InjectOptions & { url: string },
): Promise<VendorResponse> {
  const response = await app.inject(options);
  const method = options.method ?? 'GET';
  const mountPrefix = options.url.startsWith(`/${vendor}/`) ? `/${vendor}` : '';
  const specPath = options.url.slice(mountPrefix.length).replace(SPEC_BASE[vendor] ?? '', '');
  const where = `${vendor} ${method} ${options.url} → ${response.statusCode} ${response.body}`;
  const check = checkAgainstSpec(vendor, method, specPath, response);
  expect(check.errors, where).toEqual([]);
  if (!check.documented) {
    const served = checkAgainstServed(
      vendor,
      () => app.apiDocument(vendor as DocumentName, 'http://localhost'),
      method,
      specPath,
      response,
    );
    expect(served.documented, `${where}: keyforge's document does not list this status`).toBe(true);
    expect(served.errors, where).toEqual([]);
  }
  return response as VendorResponse;
}

export const adminHeaders = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

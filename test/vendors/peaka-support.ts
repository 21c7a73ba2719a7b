// Shared pieces of the Peaka tests: the demo credential, Spring error bodies and the calls a
// Peaka client makes (create through vendorCall so every answer meets openapi/peaka.yaml).
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { peaka } from '../../src/vendors/peaka/index.js';
import { adminHeaders, vendorCall, type VendorResponse } from '../helper.js';

export const DEMO = { secret: peaka.demo.secret, project: peaka.demo.project! };
export const KEY = /^[0-9A-Za-z]{8}\.[0-9A-Za-z]{32}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Jackson's java.util.Date format, which Spring Boot uses for error timestamps. */
export const SPRING_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
export const keysPath = (project: string, prefix = '') => `${prefix}/api/v1/projects/${project}/apiKeys`;

/** The Spring Boot error body, with any timestamp unless one is given. */
export function springError(status: number, error: string, message: string, path: string, timestamp?: string) {
  return { timestamp: timestamp ?? expect.stringMatching(SPRING_TIMESTAMP), status, error, message, path };
}

export function createKey(
  app: FastifyInstance,
  secret: string,
  project: string,
  body: unknown = { name: 'test' },
): Promise<VendorResponse> {
  return vendorCall(app, 'peaka', {
    method: 'POST',
    url: keysPath(project),
    headers: { ...bearer(secret), 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

export function listKeys(app: FastifyInstance, secret: string, project: string) {
  return app.inject({ method: 'GET', url: keysPath(project), headers: bearer(secret) });
}

export function deleteKey(app: FastifyInstance, secret: string, project: string, apiKeyId: string) {
  return app.inject({ method: 'DELETE', url: `${keysPath(project)}/${apiKeyId}`, headers: bearer(secret) });
}

export interface Partner {
  tenant: string;
  project: string;
  secret: string;
  request: { method: 'POST'; path: string; url: string; headers: Record<string, string>; body: unknown };
}

/** A new Peaka partner (tenant) with its partner key and first project, from the admin API. */
export async function newPartner(app: FastifyInstance, tenant?: string): Promise<Partner> {
  const res = await app.inject({
    method: 'POST',
    url: '/_keyforge/tenants',
    headers: adminHeaders,
    payload: { vendor: 'peaka', ...(tenant ? { tenant } : {}) },
  });
  expect(res.statusCode).toBe(201);
  const created = res.json();
  return { ...created, secret: created.request.headers.Authorization.replace(/^Bearer /, '') };
}

/** A project key (kind 'project') issued by a partner; returns its secret and id. */
export async function newProjectKey(
  app: FastifyInstance,
  partner: { secret: string; project: string },
  body: unknown = { name: 'ci' },
) {
  const res = await createKey(app, partner.secret, partner.project, body);
  expect(res.statusCode, res.body).toBe(200);
  const { apiKey, apiKeyId } = res.json();
  return { secret: apiKey as string, id: apiKeyId as string };
}

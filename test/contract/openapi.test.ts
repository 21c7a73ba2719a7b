// The generated documents against the vendors' own (openapi/<vendor>.yaml): every difference
// a client generator would notice is either fixed or listed in ALLOWED with the reason.
import { Validator } from '@seriousme/openapi-schema-validator';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { documentNames } from '../../src/docs/index.js';
import { documentedCall } from '../../src/docs/serve.js';
import { DOCUMENTS } from '../../src/docs/documents.js';
import { DIALECTS } from '../../src/vendors/index.js';
import { useTestApp } from '../helper.js';
import { compareDocuments, danglingRefs } from './openapi-compare.js';
import { ALLOWED } from './allowed-differences.js';
import { KEYFORGE_MARK } from '../../src/http/answers.js';

const app = useTestApp();
beforeAll(async () => {
  await app().ready();
});

const ORIGIN = 'http://docs.test:4321';

function vendorSpec(name: string) {
  return parse(readFileSync(new URL(`../../openapi/${name}.yaml`, import.meta.url), 'utf8'));
}

async function served(name: string) {
  const response = await app().inject({ url: `/openapi/${name}.json`, headers: { host: 'docs.test:4321' } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe.each(DIALECTS.map((d) => d.name))('the %s document', (vendor) => {
  it('differs from the vendor document only as the allow-list says', async () => {
    const differences = compareDocuments(vendorSpec(vendor), await served(vendor));
    const allowed = ALLOWED[vendor] ?? [];
    const unexplained = differences.filter((d) => !allowed.some((entry) => matches(entry.difference, d)));
    expect(unexplained, 'fix these, or add them to test/contract/allowed-differences.ts with the reason').toEqual([]);
    const stale = allowed.filter((entry) => !differences.some((d) => matches(entry.difference, d)));
    expect(
      stale.map((e) => String(e.difference)),
      'these allow-list entries no longer match a difference: remove them',
    ).toEqual([]);
  });

  it("lists every status each operation can answer, marking those the vendor's document does not list as keyforge's", async () => {
    const spec = vendorSpec(vendor);
    const document = await served(vendor);
    for (const [path, item] of Object.entries<
      Record<string, { responses: Record<string, { description: string; content?: object }> }>
    >(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const statuses = Object.keys(operation.responses);
        // Every operation documents its refusals (at least 401) and the faults (`default`), with a body.
        expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(['401', '429', '503', 'default']));
        const own = spec.paths[`${path}`]?.[method]?.responses ?? {};
        for (const [status, response] of Object.entries(operation.responses)) {
          if (status.startsWith('2')) continue;
          expect(response.content, `${method} ${path} ${status} has a body`).toBeDefined();
          if (!(status in own)) expect(response.description, `${method} ${path} ${status}`).toContain(KEYFORGE_MARK);
          // An example at least in JSON (binary encodings such as transit+msgpack cannot show one).
          const json = (response.content as Record<string, { example?: unknown }>)['application/json'];
          if (json) expect(json.example, `${method} ${path} ${status} example`).toBeDefined();
        }
      }
    }
  });

  it('points its server at this instance, with the vendor base path', async () => {
    const document = await served(vendor);
    expect(document.servers).toEqual([
      { url: `${ORIGIN}${DOCUMENTS[vendor].basePath}`, description: 'this keyforge instance' },
    ]);
  });

  it('lists the root mount only, not the /<vendor> duplicates, and has the create call', async () => {
    const document = await served(vendor);
    expect(Object.keys(document.paths).filter((p) => p.startsWith(`/${vendor}/`))).toEqual([]);
    const dialect = DIALECTS.find((d) => d.name === vendor)!;
    const example = dialect.createKeyRequest(dialect.demo);
    const call = documentedCall(document, DOCUMENTS[vendor].basePath, example);
    expect(call, `no documented operation matches ${example.method} ${example.path}`).toBeDefined();
    expect(call!.operation.requestBody).toBeDefined();
  });
});

describe.each(documentNames())('the %s document as OpenAPI', (name) => {
  it('has no dangling $ref', async () => {
    expect(danglingRefs(await served(name))).toEqual([]);
  });

  it('is valid OpenAPI per the official JSON schemas', async () => {
    const result = await new Validator().validate(await served(name));
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe('Swagger UI', () => {
  it('serves /docs with a selector across every document', async () => {
    const page = await app().inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const initializer = await app().inject({ url: '/docs/static/swagger-initializer.js' });
    for (const name of documentNames()) expect(initializer.body).toContain(`"url":"/openapi/${name}.json"`);
  });

  it('answers 404 for a document that does not exist', async () => {
    expect((await app().inject({ url: '/openapi/nobody.json' })).statusCode).toBe(404);
  });
});

function matches(pattern: string | RegExp, difference: string): boolean {
  return typeof pattern === 'string' ? pattern === difference : pattern.test(difference);
}

// Swagger UI end to end: the real server process, Debian's chromium driven by playwright-core,
// and for each vendor the way a person uses /docs — pick the vendor's document, Authorize with
// the demo credential, Try it out on the create-key call, Execute — then the live response in
// the page must be the vendor's success with a fresh key in it. Screenshots go to test/artifacts/.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedCall, type OpenApiDocument } from '../../src/docs/serve.js';
import { uiName } from '../../src/docs/index.js';
import { DOCUMENTS } from '../../src/docs/documents.js';
import type { VendorDialect, VendorName } from '../../src/vendors/dialect.js';
import { DIALECTS } from '../../src/vendors/index.js';
import { ROOT, startServer, type RunningServer } from '../support/process.js';
import { testTempDir } from '../support/test-run.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/**
 * What a person types per vendor, from the demo credential as the banner prints it: the value
 * of each Authorize box, the path parameters, and the status the create call answers with.
 */
interface Expected {
  status: number;
  authorize: Record<string, string>;
  pathParams: Record<string, string>;
  /** Bodies in other media types: the pre-filled text, and what is typed instead (a new name). */
  otherBodies?: Record<string, { name: string; prefilled: string; typed: string }>;
}

const EXPECTED: Record<VendorName, Expected> = {
  basic: {
    status: 200,
    // A project API key, so the API-key scheme (bearerAuth is documented for user JWTs).
    authorize: { apiKeyAuth: 'bsk_kfdemo03BasicDemoKey00000000000000000000' },
    pathParams: { id: '0d3e5b1a-7c44-4f0e-9b2a-5a51c0de0001' },
  },
  // The whole Authorization header value, scheme included.
  baseten: {
    status: 200,
    authorize: { ApiKeyAuth: 'Api-Key kfdemo01.BasetenDemoKey000000000000000000' },
    pathParams: {},
  },
  bytebeam: {
    status: 200,
    authorize: { apiKeyAuth: '0bde4a11-5eed-4c0d-9e00-00000000b17e', tenantAuth: 'demo-tenant' },
    pathParams: {},
    otherBodies: {
      'application/transit+json': {
        name: 'ci-transit',
        prefilled: JSON.stringify(['^ ', '~:name', 'ci', '~:role', 'admin'], null, 2),
        typed: '["^ ","~:name","ci-transit","~:role","admin"]',
      },
      'application/edn': {
        name: 'ci-edn',
        prefilled: '{:name "ci", :role "admin"}',
        typed: '{:name "ci-edn", :role "admin"}',
      },
    },
  },
  peaka: {
    status: 200,
    authorize: { bearerAuth: 'kfdemo02.PeakaDemoPartnerKey0000000000000' },
    pathParams: { projectId: 'DemoPrj1' },
  },
  imtegrate: {
    status: 201,
    authorize: { HTTPBearer: 'imt_test_kfdemo05_ImtegrateDemoToken00000000000000' },
    pathParams: {},
  },
};

const describeBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM))
  console.warn(`skipping Swagger UI browser tests: ${CHROMIUM} not found (apt-get install -y chromium)`);

describeBrowser('Swagger UI Try it out, in chromium', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    dir = testTempDir('keyforge-browser-');
    mkdirSync(ARTIFACTS, { recursive: true });
    [server, browser] = await Promise.all([
      startServer(['--port', '0', '--db', join(dir, 'keyforge.db'), '--hash-profile', 'fast', '--log-level', 'warn']),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
    ]);
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(10_000);
    await page.goto(`${server.url}/docs`);
    await page.locator('.topbar select').waitFor();
  }, 30_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 15_000);

  for (const dialect of DIALECTS) {
    it(`${dialect.name}: Authorize, Try it out, Execute creates a key`, async () => {
      const expected = EXPECTED[dialect.name];
      const example = dialect.createKeyRequest(dialect.demo);
      const document = (await (await fetch(`${server!.url}/openapi/${dialect.name}.json`)).json()) as OpenApiDocument;
      const call = documentedCall(document, DOCUMENTS[dialect.name].basePath, example);
      expect(call, 'the create call is documented').toBeDefined();
      expect(call!.pathValues).toEqual(expected.pathParams);

      // Pick the vendor's document in the top bar; the page shows its title.
      await page.locator('.topbar select').selectOption({ label: uiName(dialect.name) });
      await expect.poll(() => page.locator('.information-container .title').innerText()).toContain(document.info.title);

      // The description says what to enter in Authorize; it must be what the banner's curl line sends.
      const hint = await page.locator('.information-container .description li').allInnerTexts();
      const hinted = Object.fromEntries(hint.map((line) => /^\s*(\w+):\s*(.+?)\s*$/.exec(line)!.slice(1, 3)));
      expect(hinted).toEqual(expected.authorize);
      expect(demoValues(dialect.createKeyRequest(dialect.demo).headers, expected.authorize)).toEqual(
        expected.authorize,
      );

      // Authorize: every scheme of the requirement, each with its own box and button.
      await page.locator('.auth-wrapper button.authorize').click();
      const modal = page.locator('.modal-ux');
      await modal.waitFor();
      for (const [schemeName, value] of Object.entries(expected.authorize)) {
        const container = modal
          .locator('.auth-container')
          .filter({ has: page.locator('h4', { hasText: new RegExp(`^\\s*${schemeName}\\b`) }) });
        await container.locator('input').first().fill(value);
        await container.locator('button.authorize').click();
        await container.locator('button', { hasText: 'Logout' }).waitFor();
      }
      await modal.locator('button.close-modal').click();
      await modal.waitFor({ state: 'detached' });

      // Expand the create call, Try it out, fill path parameters and body, Execute.
      const operation = page
        .locator('.opblock.opblock-post')
        .filter({ has: page.locator(`.opblock-summary-path[data-path="${call!.template}"]`) });
      await operation.locator('.opblock-summary').first().click();
      await operation.locator('button.try-out__btn').click();
      // The document's examples pre-fill the form with the demo request; fill it anyway, as a person would check it.
      for (const [name, value] of Object.entries(expected.pathParams)) {
        const input = operation.locator(`tr[data-param-name="${name}"] input`);
        expect(await input.inputValue(), `pre-filled ${name}`).toBe(value);
        await input.fill(value);
      }
      await fillBody(operation, example.body);
      await operation.locator('button.execute').click();
      const { status, body } = await liveResponse(operation, 'curl -X');
      await page.screenshot({ path: join(ARTIFACTS, `swagger-ui-${dialect.name}.png`), fullPage: true });
      expect(status, body).toBe(String(expected.status));
      expect(newKeys(dialect, body).length, `a new ${dialect.name} key in ${body}`).toBeGreaterThan(0);

      // Other media types from the Request body selector. Each is pre-filled in its own syntax
      // while the text is unedited (Swagger UI keeps edited text across a switch), so look first.
      const others = Object.entries(expected.otherBodies ?? {});
      const mediaSelect = operation.locator('.opblock-section-request-body select');
      const textarea = operation.locator('textarea.body-param__text');
      for (const [mediaType, { prefilled }] of others) {
        await mediaSelect.selectOption(mediaType);
        await expect.poll(() => textarea.inputValue(), { message: `pre-filled ${mediaType} body` }).toBe(prefilled);
      }
      for (const [mediaType, { name, typed }] of others) {
        await mediaSelect.selectOption(mediaType);
        await textarea.fill(typed);
        await operation.locator('button.execute').click();
        const answer = await liveResponse(operation, name);
        expect(answer.status, `${mediaType}: ${answer.body}`).toBe(String(expected.status));
        expect(newKeys(dialect, answer.body).length, `a new key in ${answer.body}`).toBeGreaterThan(0);
        expect(answer.body).toContain(name);
      }
    }, 25_000);
  }
});

/** The live response under Execute, once it is the one for the request whose body has `marker`. */
async function liveResponse(operation: Locator, marker: string): Promise<{ status: string; body: string }> {
  const live = operation.locator('.live-responses-table .response').first();
  const curl = operation.locator('.curl-command');
  await expect
    .poll(async () => ((await curl.count()) > 0 ? curl.first().innerText() : ''), { timeout: 15_000 })
    .toContain(marker);
  await live.waitFor({ timeout: 15_000 });
  const status = (await live.locator('.response-col_status').innerText()).trim();
  const body = await live
    .locator('.response-col_description .microlight, .response-col_description pre')
    .first()
    .innerText();
  return { status, body };
}

/** Keys of the dialect's format in a response body, other than the demo credential itself. */
function newKeys(dialect: VendorDialect, body: string): string[] {
  return [...body.matchAll(new RegExp(dialect.keyFormat.pattern.source, 'g'))]
    .map((m) => m[0])
    .filter((key) => key !== dialect.demo.secret);
}

/** Each expected Authorize value must appear in the demo request's headers (the banner's curl line). */
function demoValues(headers: Record<string, string>, authorize: Record<string, string>): Record<string, string> {
  const sent = Object.values(headers);
  return Object.fromEntries(
    Object.entries(authorize).map(([scheme, value]) => [
      scheme,
      sent.some((h) => h === value || h === `Bearer ${value}`) ? value : `not sent: ${value}`,
    ]),
  );
}

/** Replaces Swagger UI's pre-filled body with the dialect's own example request body. */
async function fillBody(operation: Locator, body: unknown): Promise<void> {
  if (body === undefined) return;
  const textarea = operation.locator('textarea.body-param__text');
  expect(JSON.parse(await textarea.inputValue()), 'pre-filled body').toEqual(body);
  await textarea.fill(typeof body === 'string' ? body : JSON.stringify(body, null, 2));
}

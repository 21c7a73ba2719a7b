// The console end to end: the real server process, Debian's Chromium driven by playwright-core,
// used as a person would — sign in, watch calls made from outside the page arrive live, open
// one, inject a fault and watch it fire, create a tenant, revoke a key, reset and delete one
// tenant, move the test clock, fit a 420 px window, reset and see the keys go. Any console error, uncaught error, failed request or refused request of the page fails it
// (except the wrong token the sign-in step types on purpose). Screenshots go to test/artifacts/,
// and with KEYFORGE_SCREENSHOTS=docs (`npm run screenshots`) to docs/ for docs/console.md.
// In-page expressions are strings: this file is typechecked without the DOM library.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../src/vendors/index.js';
import { ROOT, startServer, type RunningServer } from '../support/process.js';
import { encodeMap, TRANSIT_MSGPACK } from '../vendors/bytebeam-support.js';
import { CHROMIUM, demoCall, demoOf, launchChromium, PageProblems } from './console-support.js';
import { testTempDir } from '../support/test-run.js';

const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const SCREENSHOTS = process.env.KEYFORGE_SCREENSHOTS ? join(ROOT, process.env.KEYFORGE_SCREENSHOTS) : undefined;
const INSTANCE = 'console-test';

const describeBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM))
  console.warn(`skipping console browser tests: ${CHROMIUM} not found (apt-get install -y chromium)`);

describeBrowser('the console, in chromium', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  let dir: string;
  let url: string;
  let adminToken: string;
  let bannerLink: string;

  beforeAll(async () => {
    dir = testTempDir('keyforge-console-');
    mkdirSync(ARTIFACTS, { recursive: true });
    // No --admin-token: the banner prints a generated one and a console link that carries it.
    [server, browser] = await Promise.all([
      startServer([
        '--port',
        '0',
        '--db',
        join(dir, 'keyforge.db'),
        '--hash-profile',
        'fast',
        '--log-level',
        'warn',
        '--instance',
        INSTANCE,
      ]),
      launchChromium(),
    ]);
    url = server.url;
    adminToken = /Admin token: {2}(\S+) {2}\(generated/.exec(server.output())![1]!;
    bannerLink = /Console: +(\S+)/.exec(server.output())![1]!;
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    problems = new PageProblems(page);
  }, 30_000);

  afterAll(async () => {
    problems?.stop();
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 15_000);

  const row = (vendor: string, status?: number) =>
    page
      .locator(`tr.entry[data-vendor="${vendor}"]`)
      .filter(status === undefined ? {} : { has: page.locator('td.status', { hasText: String(status) }) });
  const tab = (name: string) => page.getByRole('tab', { name });
  /** The row of the call `make` makes. The call answers before the live stream brings its row, so wait for it. */
  const rowOfNextCall = async <T>(vendor: string, make: () => Promise<T>) => {
    const before = await row(vendor).count();
    const made = await make();
    await expect.poll(() => row(vendor).count()).toBe(before + 1);
    return { made, entry: row(vendor).first() };
  };
  const detail = () => page.locator('aside.detail');

  it('asks for the admin token, refuses a wrong one, and keeps the right one in sessionStorage only', async () => {
    expect(bannerLink).toBe(`${url}/_keyforge/ui#token=${adminToken}`);
    await page.goto(`${url}/_keyforge/ui`);
    const token = page.getByLabel('Admin token');
    await problems.allowing(
      (p) => p.includes('401') && p.includes('/_keyforge/faults'),
      async () => {
        await token.fill('not-the-token');
        // Chromium reports the refused call on the console, too: wait for it within this step.
        const reported = page.waitForEvent('console', (message) => message.type() === 'error');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expect.poll(() => page.getByRole('alert').innerText()).toContain('not this keyforge’s admin token');
        await reported;
      },
    );
    await token.fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await tab('Journal').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('keyforge.adminToken')")).toBe(adminToken);
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(page.url()).toBe(`${url}/_keyforge/ui`);
    await page.locator('.stream-live').waitFor();
  });

  it('signs in from the banner’s link by itself, and takes the token out of the address bar', async () => {
    const other = await context.newPage();
    const otherProblems = new PageProblems(other);
    await other.goto(bannerLink);
    await other.getByRole('tab', { name: 'Journal' }).waitFor();
    expect(other.url()).toBe(`${url}/_keyforge/ui`);
    expect(await other.evaluate("[location.hash, sessionStorage.getItem('keyforge.adminToken')]")).toEqual([
      '',
      adminToken,
    ]);
    await other.locator('.stream-live').waitFor();
    otherProblems.stop(); // closing aborts its stream
    await other.close();
    expect(otherProblems.seen).toEqual([]);
  });

  it('shows a call per vendor, made from outside the page, as it happens: who made it and which instance served it', async () => {
    for (const dialect of DIALECTS) {
      const call = await demoCall(
        url,
        dialect.name,
        dialect.name === 'bytebeam' ? { body: { name: 'console-json', role: 'admin' } } : {},
      );
      expect(call.status, call.body).toBeLessThan(300);
      const entry = row(dialect.name, call.status);
      await entry.waitFor();
      expect(await entry.locator('td.tenant').innerText()).toBe(demoOf(dialect.name).tenant);
      expect(await entry.locator('td.key-id').innerText()).toMatch(/^[\w-]{8,}$/);
      expect(await entry.locator('td.instance').innerText()).toBe(INSTANCE);
    }
    // Newest first.
    expect(await page.locator('tr.entry td.vendor').allInnerTexts()).toEqual(DIALECTS.map((d) => d.name).reverse());
  });

  it('opens a refused call: redacted request and response, the check that refused it, and curl with a placeholder', async () => {
    const wrongKey = 'kfdemo01.WrongSecretWrongSecretWrongSecret';
    const call = await demoCall(url, 'baseten', { headers: { authorization: `Api-Key ${wrongKey}` } });
    expect(call.status).toBe(401);
    await row('baseten', 401).click();
    const panel = detail();
    await panel.waitFor();
    expect(await panel.locator('.refusal').innerText()).toContain('Refused by authentication');
    expect(await panel.locator('.message.request .headers').innerText()).toContain('Api-Key [redacted]');
    expect(await panel.locator('.message.response pre.body').innerText()).toContain(JSON.parse(call.body).error ?? '');
    const curl = await panel.locator('.curl pre').innerText();
    expect(curl).toContain("-H 'authorization: Api-Key <secret>'");
    expect(curl).toContain(`${url}/v1/api_keys`);
    expect(await panel.innerText()).not.toContain(wrongKey);
    await panel.getByRole('button', { name: 'Copy as curl' }).click();
    await panel.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(curl);
  });

  it('renders a body holding <script> as text', async () => {
    const hostile = '<script>window.__pwned = 1</script><img src=x onerror=window.__pwned=2>';
    const { entry } = await rowOfNextCall('baseten', () =>
      demoCall(url, 'baseten', { body: { type: 'PERSONAL', name: hostile } }),
    );
    await entry.click();
    const body = detail().locator('.message.request pre.body');
    await expect.poll(() => body.innerText()).toContain(hostile);
    expect(await detail().locator('script, img').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
  });

  it('shows a transit+msgpack body decoded, with its media type', async () => {
    const payload = encodeMap(TRANSIT_MSGPACK, [
      ['name', 'console-msgpack'],
      ['role', 'admin'],
    ]);
    const { made: call, entry } = await rowOfNextCall('bytebeam', () =>
      demoCall(url, 'bytebeam', {
        headers: { 'content-type': TRANSIT_MSGPACK, accept: TRANSIT_MSGPACK },
        raw: payload as Buffer,
      }),
    );
    expect(call.status).toBe(200);
    await entry.click();
    const request = detail().locator('.message.request');
    await expect.poll(() => request.locator('.media-type').innerText()).toBe(TRANSIT_MSGPACK);
    expect(await request.locator('.note').innerText()).toContain('shown decoded');
    expect(await request.locator('pre.body').innerText()).toContain('"console-msgpack"');
    expect(await detail().locator('.message.response pre.body').innerText()).toContain('"~u[redacted]"');
  });

  it('filters by vendor, status class and text', async () => {
    const count = () => page.locator('tr.entry').count();
    const all = await count();
    await page.locator('select[name="vendor"]').selectOption('peaka');
    expect(await page.locator('tr.entry td.vendor').allInnerTexts()).toEqual(['peaka']);
    await page.locator('select[name="vendor"]').selectOption('');
    await page.locator('select[name="status"]').selectOption('4xx');
    expect(await page.locator('tr.entry td.status').allInnerTexts()).toEqual(['401']);
    await page.locator('select[name="status"]').selectOption('');
    await page.locator('input[name="text"]').fill('console-msgpack');
    expect(await page.locator('tr.entry td.vendor').allInnerTexts()).toEqual(['bytebeam']);
    await page.locator('input[name="text"]').fill('');
    expect(await count()).toBe(all);
    // The journal screenshot: the refused call open beside the list, which keeps its key id and
    // instance columns, and breaks paths only between their segments.
    await row('baseten', 401).click();
    await detail().locator('.refusal').waitFor();
    const list = (await page.locator('.split .table-wrap').boundingBox())!;
    for (const column of ['th.key-id', 'th.instance']) {
      const box = (await page.locator(column).boundingBox())!;
      expect(box.x + box.width, `${column} is in view`).toBeLessThanOrEqual(list.x + list.width + 1);
    }
    expect(await page.evaluate("getComputedStyle(document.querySelector('tr.entry td.path')).wordBreak")).toBe(
      'normal',
    );
    expect(await page.locator('tr.entry td.path').first().locator('wbr').count()).toBeGreaterThan(0);
    await screenshot('console-journal.png');
    await detail().getByRole('button', { name: 'close' }).click();
  });

  it('injects a fault and shows it fire: its hit count goes up live and the faulted call arrives', async () => {
    await tab('Clock, faults & reset').click();
    await page.locator('select[name="fault-vendor"]').selectOption('peaka');
    await page.locator('input[name="fault-status"]').fill('503');
    await page.locator('input[name="fault-count"]').fill('2');
    await page.getByRole('button', { name: 'Add fault' }).click();
    const fault = page.locator('tr.fault');
    await expect.poll(() => fault.locator('td.hits').innerText()).toBe('0');
    expect(await fault.locator('td.remaining').innerText()).toBe('2');

    expect((await demoCall(url, 'peaka')).status).toBe(503);
    await expect.poll(() => fault.locator('td.hits').innerText(), { timeout: 5000 }).toBe('1');
    expect(await fault.locator('td.remaining').innerText()).toBe('1');

    await tab('Journal').click();
    await row('peaka', 503).click();
    expect(await detail().locator('.refusal').innerText()).toContain('injected fault');

    await tab('Clock, faults & reset').click();
    await page.getByRole('button', { name: 'Clear all faults' }).click();
    await page.getByText('No faults in force.').waitFor();
    expect((await demoCall(url, 'peaka', { body: { name: 'after-fault' } })).status).toBe(200);
  });

  it('lists tenants and keys without secrets, creates a tenant with a ready request, and revokes a key', async () => {
    await tab('Keys & tenants').click();
    for (const dialect of DIALECTS)
      await page
        .locator(`tbody.tenant-group[data-vendor="${dialect.name}"][data-tenant="${demoOf(dialect.name).tenant}"]`)
        .waitFor();
    expect(await page.locator('section.keys').innerText()).not.toContain(demoOf('baseten').secret);

    await page.locator('select[name="tenant-vendor"]').selectOption('imtegrate');
    await page.locator('input[name="tenant-name"]').fill('console-acme');
    await page.getByRole('button', { name: 'Create' }).click();
    const ready = page.locator('.ready-request pre');
    await ready.waitFor();
    const curl = await ready.innerText();
    expect(curl).toContain(`curl -sS -X POST '${url}/v1/api-keys'`);
    await page.getByRole('button', { name: 'Copy request' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(curl);

    // The ready request works as shown.
    const authorization = /'Authorization: (Bearer \S+)'/.exec(curl)![1]!;
    const created = await demoCall(url, 'imtegrate', {
      headers: { authorization },
      body: { name: 'from-console', scopes: ['api_keys:write'], env: 'test' },
    });
    expect(created.status, created.body).toBe(201);
    const group = page.locator('tbody.tenant-group[data-vendor="imtegrate"][data-tenant="console-acme"]');
    await expect.poll(() => group.locator('tr.key').count(), { timeout: 5000 }).toBe(2);
    expect(await group.innerText()).not.toContain(authorization.slice('Bearer '.length));

    // Revoking asks first; Cancel keeps the key.
    const key = group.locator('tr.key', { hasText: 'from-console' });
    await key.getByRole('button', { name: 'Revoke…' }).click();
    await key.getByRole('alertdialog', { name: 'confirm revoke' }).getByRole('button', { name: 'Cancel' }).click();
    expect(await key.locator('.badge.active').count()).toBe(1);
    await key.getByRole('button', { name: 'Revoke…' }).click();
    await key.getByRole('alertdialog', { name: 'confirm revoke' }).getByRole('button', { name: 'Yes, revoke' }).click();
    await key.locator('.badge.revoked').waitFor();

    // A Peaka project id is shown as typed: ids are case-sensitive.
    expect(
      await page
        .locator(`tbody.tenant-group[data-vendor="peaka"][data-tenant="${demoOf('peaka').tenant}"] .project`)
        .innerText(),
    ).toBe('project DemoPrj1');
    await page.locator('select[name="tenant-vendor"]').selectOption('peaka');
    await page.locator('input[name="tenant-name"]').fill('console-partner');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.locator('.ready-request pre').innerText()).toContain('/api/v1/projects/');
    const project = /\/api\/v1\/projects\/(\w+)\/apiKeys/.exec(
      await page.locator('.ready-request pre').innerText(),
    )![1]!;
    expect(project).toMatch(/[a-z]/);
    expect(await page.locator('.ready-request h3 .project-id').innerText()).toBe(project);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot('console-keys.png');
  });

  it('resets one tenant, then deletes it, each after a confirmation, leaving every other tenant as it was', async () => {
    const group = page.locator('tbody.tenant-group[data-vendor="imtegrate"][data-tenant="console-acme"]');
    const others = async () =>
      (await page.locator('tbody.tenant-group:not([data-tenant="console-acme"]) tr.key').allInnerTexts()).join('\n');
    const before = await others();
    await group.getByRole('button', { name: 'Reset tenant…' }).click();
    await group
      .getByRole('alertdialog', { name: 'confirm tenant reset' })
      .getByRole('button', { name: 'Yes, reset console-acme' })
      .click();
    await page.getByRole('status').filter({ hasText: 'Reset imtegrate tenant console-acme: removed 1 keys' }).waitFor();
    await expect.poll(() => group.locator('tr.key').count()).toBe(1); // its root credential
    expect(await others()).toBe(before);

    await group.getByRole('button', { name: 'Delete tenant…' }).click();
    await group
      .getByRole('alertdialog', { name: 'confirm tenant delete' })
      .getByRole('button', { name: 'Yes, delete console-acme' })
      .click();
    await page.getByRole('status').filter({ hasText: 'Deleted imtegrate tenant console-acme' }).waitFor();
    await group.waitFor({ state: 'detached' });
    expect(await others()).toBe(before);
  });

  it('moves the test clock: a badge says so in the header, journal entries show the emulated time, and it goes back to real time', async () => {
    await tab('Clock, faults & reset').click();
    await page.locator('input[name="clock-advance"]').fill('PT2H');
    await page.getByRole('button', { name: 'Advance', exact: true }).click();
    const badge = page.locator('header .clock-badge');
    await expect.poll(() => badge.innerText()).toBe('clock +2h 0m');
    await page.locator('input[name="clock-advance"]').fill('two hours');
    await problems.allowing(
      (problem) => problem.includes('/_keyforge/clock') && /answered 400|status of 400/.test(problem),
      async () => {
        await page.getByRole('button', { name: 'Advance', exact: true }).click();
        await expect
          .poll(() => page.locator('.clock .error').innerText())
          .toContain('body.advance: must be an ISO-8601 duration');
      },
    );
    await screenshot('console-controls.png');

    await tab('Journal').click();
    await row('baseten').first().waitFor();
    const { entry } = await rowOfNextCall('baseten', () => demoCall(url, 'baseten'));
    await entry.click();
    expect(Date.parse(await detail().locator('.emulated-time').innerText()) - Date.now()).toBeGreaterThan(3_600_000);
    await detail().getByRole('button', { name: 'close' }).click();

    await badge.click(); // opens the controls
    await page.getByRole('button', { name: 'Back to real time' }).click();
    await badge.waitFor({ state: 'detached' });
  });

  it('keeps the whole header on screen in a 420 px window', async () => {
    await tab('Clock, faults & reset').click();
    await page.locator('input[name="clock-advance"]').fill('P1D');
    await page.getByRole('button', { name: 'Advance', exact: true }).click();
    await page.locator('header .clock-badge').waitFor();
    await page.setViewportSize({ width: 420, height: 800 });
    try {
      for (const name of ['.stream', 'button.link', '.clock-badge', 'h1']) {
        const box = (await page.locator(`header ${name}`).boundingBox())!;
        expect(box.x, name).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, name).toBeLessThanOrEqual(420);
      }
      for (const label of ['Journal', 'Keys & tenants', 'Clock, faults & reset']) {
        const box = (await tab(label).boundingBox())!;
        expect(box.x + box.width, label).toBeLessThanOrEqual(420);
      }
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(420);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('resets after a confirmation and the keys go, back to the demo credentials', async () => {
    await tab('Clock, faults & reset').click();
    await page.getByRole('button', { name: 'Reset…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'confirm reset' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Reset…' }).click();
    await confirm.getByRole('button', { name: 'Yes, reset every vendor' }).click();
    await page.getByRole('status').filter({ hasText: 'Reset every vendor' }).waitFor();
    await page.locator('header .clock-badge').waitFor({ state: 'detached' }); // a global reset returns the clock to real time

    await tab('Keys & tenants').click();
    await expect.poll(() => page.locator('tbody.tenant-group').count(), { timeout: 5000 }).toBe(DIALECTS.length);
    expect(await page.locator('tbody.tenant-group[data-tenant="console-partner"]').count()).toBe(0);
    expect(await page.locator('tr.key').count()).toBe(DIALECTS.length); // each demo root credential, nothing issued
    await tab('Journal').click();
    expect(await page.locator('tr.entry').count()).toBe(0);
    // And the journal stays live after the reset.
    await demoCall(url, 'basic');
    await row('basic').waitFor();
  });

  it('met no console error, uncaught error or failed request on the way', () => {
    expect(problems.seen).toEqual([]);
  });

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, name) });
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, name) });
  }
});

// The console while PostgreSQL is down, in Debian's Chromium: the outage shows as one — a
// "database unavailable" banner with the reason and a red stream badge, never a green "live"
// badge over empty views ("0 tenants, 0 keys" reads as data loss) — and goes away by itself when
// the database is back. This file owns its PostgreSQL server (it stops it).
// In-page expressions are strings: this file is typechecked without the DOM library.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinaries, startCluster, type Cluster } from '../../scripts/postgres-cluster.js';
import { DIALECTS } from '../../src/vendors/index.js';
import { ROOT, startServer, type RunningServer } from '../support/process.js';
import { CHROMIUM, launchChromium, PageProblems } from './console-support.js';

const TOKEN = 'console-outage-token-0123';
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const canRun = existsSync(CHROMIUM) && (postgresBinaries() !== null || process.env.KEYFORGE_TEST_REQUIRED === '1');

(canRun ? describe : describe.skip)('the console while PostgreSQL is down', () => {
  let cluster: Cluster | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    cluster = await startCluster();
    const args = [
      '--port',
      '0',
      '--db',
      cluster.url,
      '--hash-profile',
      'fast',
      '--log-level',
      'warn',
      '--admin-token',
      TOKEN,
      '--demo',
    ];
    server = await startServer(args); // then the browser: together they took over 15 s to start on a loaded machine
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.setDefaultTimeout(15_000);
    problems = new PageProblems(page);
  }, 60_000);

  afterAll(async () => {
    problems?.stop();
    await browser?.close().catch(() => undefined);
    await server?.stop();
    cluster?.stop();
  }, 30_000);

  it('says the database is unavailable, keeps what it showed, and recovers by itself', async () => {
    await page.goto(`${server!.url}/_keyforge/ui#token=${TOKEN}`);
    await page.locator('.stream-live').waitFor();
    await page.getByRole('tab', { name: 'Keys & tenants' }).click();
    await expect.poll(() => page.locator('tbody.tenant-group').count()).toBe(DIALECTS.length);

    // Every call the page makes meanwhile answers 503 (the stream's reconnections may fail too).
    await problems.allowing(
      (p) => p.includes('503') || p.includes('request failed'),
      async () => {
        cluster!.halt('fast');
        const banner = page.locator('.outage');
        await banner.waitFor();
        expect(await banner.textContent()).toMatch(
          /^Database unavailable — PostgreSQL at 127\.0\.0\.1:\d+\/postgres does not answer: .+Vendor and admin calls answer 503/,
        );
        expect(await page.locator('.stream').textContent()).toBe('database unavailable');
        expect(await page.locator('.stream-live').count()).toBe(0);
        // The keys it had loaded stay, said to be the last loaded; the reason replaces "unexpected error".
        await page.locator('.keys .error').waitFor();
        expect(await page.locator('.keys .error').textContent()).toMatch(/^the database is unavailable: /);
        expect(await page.locator('.keys .count').textContent()).toBe(
          `${DIALECTS.length} tenants, ${DIALECTS.length} keys, as last loaded`,
        );
        await page.screenshot({ path: join(ARTIFACTS, 'console-outage.png') });

        // A page opened during the outage shows no count at all, rather than "0 tenants, 0 keys".
        await page.reload();
        await page.getByRole('tab', { name: 'Keys & tenants' }).click();
        await page.locator('.keys .error').waitFor();
        await page.locator('.outage').waitFor();
        expect(await page.locator('.keys .count').count()).toBe(0);
        expect(await page.locator('.keys').textContent()).not.toContain('0 tenants');

        cluster!.start();
        await page.locator('.outage').waitFor({ state: 'detached', timeout: 20_000 });
        await page.locator('.stream-live').waitFor();
        await expect
          .poll(() => page.locator('.keys .count').textContent(), { timeout: 10_000 })
          .toBe(`${DIALECTS.length} tenants, ${DIALECTS.length} keys`);
      },
    );
    expect(await page.locator('.keys .error').count()).toBe(0);
    expect(problems.seen).toEqual([]);
  }, 90_000);
});

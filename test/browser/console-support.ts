// What the console's browser test needs besides the page: Chromium launched as the Swagger UI
// test does, a watch on everything that goes wrong in a page (console errors, uncaught errors,
// failed or refused requests), and vendor calls made from outside the page.
import { chromium, type Browser, type Page } from 'playwright-core';
import { DIALECTS } from '../../src/vendors/index.js';
import { trackChildren } from '../support/test-run.js';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** Playwright's launch gives every browser a fresh, temporary profile (user data dir). */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  trackChildren('Chromium (or a server started beside it)');
  return browser;
}

/** Collects what went wrong in a page; `expected` lets one step allow what it provokes on purpose. */
export class PageProblems {
  readonly seen: string[] = [];
  private allowed: ((problem: string) => boolean) | null = null;
  private stopped = false;

  constructor(page: Page) {
    const note = (problem: string) => {
      if (!this.stopped && !this.allowed?.(problem)) this.seen.push(problem);
    };
    page.on(
      'console',
      (message) => message.type() === 'error' && note(`console error: ${message.text()} (${message.location().url})`),
    );
    page.on('pageerror', (error) => note(`uncaught: ${error.message}`));
    page.on('requestfailed', (request) =>
      note(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`),
    );
    page.on(
      'response',
      (response) =>
        response.status() >= 400 &&
        note(`answered ${response.status()}: ${response.request().method()} ${response.url()}`),
    );
  }

  /** Runs `step` allowing the problems `expected` matches. */
  async allowing<T>(expected: (problem: string) => boolean, step: () => Promise<T>): Promise<T> {
    this.allowed = expected;
    try {
      return await step();
    } finally {
      this.allowed = null;
    }
  }

  /** Before closing a page: its open stream is aborted then, on purpose. */
  stop(): void {
    this.stopped = true;
  }
}

export interface OutsideCall {
  status: number;
  body: string;
}

/** Sends `vendor`'s demo create call (as the banner prints it) from outside the page, optionally changed. */
export async function demoCall(
  url: string,
  vendor: string,
  change: { headers?: Record<string, string>; body?: unknown; raw?: Uint8Array } = {},
): Promise<OutsideCall> {
  const dialect = DIALECTS.find((d) => d.name === vendor)!;
  const request = dialect.createKeyRequest(dialect.demo);
  const body = change.raw ?? JSON.stringify(change.body ?? request.body);
  const headers = new Headers(request.headers);
  for (const [name, value] of Object.entries(change.headers ?? {})) headers.set(name, value);
  const response = await fetch(url + request.path, { method: request.method, headers, body });
  return { status: response.status, body: await response.text() };
}

export function demoOf(vendor: string) {
  return DIALECTS.find((d) => d.name === vendor)!.demo;
}

/**
 * Driving a browser-based RP in Chromium: open a URL, go wherever the RP and the OP send the
 * browser, and read the page it ends on. The RP accepted when the `logged_in` selector is on that
 * page; anything else (an error page, even one served with status 200, a page without the
 * selector once everything is quiet, or a timeout) is a refusal. A screenshot of the end page is
 * the evidence.
 *
 * @module
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_FLAGS, findBrowser } from '../../live/browser.js';

/** What the browser saw in one visit. */
export interface Visit {
  /** Whether `logged_in` (or `logged_out`) was found on the end page. */
  readonly found: boolean;
  /** Why not, or what was found, in words. */
  readonly says: string;
  /** The URL of the end page. */
  readonly endUrl: string;
  /** A PNG screenshot of the end page (absent when the page could not be photographed). */
  readonly screenshot?: Buffer | undefined;
  /** Set when the browser could not open the URL at all (the RP is not there). */
  readonly unreachable?: string | undefined;
}

/** A response the browser received, with its status: every page, frame and script fetch. */
export interface SeenResponse {
  readonly url: string;
  readonly status: number;
}

/** Options of a visit. */
export interface VisitOptions {
  /** The selector that means success. */
  readonly selector: string;
  /** The whole visit's deadline. */
  readonly timeoutMs: number;
  /** How long the page must stay quiet before its end is read. */
  readonly settleMs: number;
  /** A selector that means the RP refused (an error element): read at once, without waiting for the page to settle. */
  readonly refused?: string | undefined;
}

/** A page's URL without its query and fragment (which carry codes and states), for words. */
function pageName(url: string): string {
  return url.replace(/[?#].*$/s, '');
}

/** One Chromium for a run; a fresh context (no cookies, no storage) per test. */
export class RpBrowser {
  readonly #browser: Browser;
  /** Every response any page of the current context received, oldest first. */
  readonly responses: SeenResponse[] = [];
  #context: BrowserContext | undefined;

  private constructor(browser: Browser) {
    this.#browser = browser;
  }

  /**
   * Launches Chromium headless. `trustSpki` (the base64 SHA-256 of a server key) makes it accept
   * that one certificate, the mock OP's under `--tls`, and no other unknown one.
   */
  static async launch(options: { trustSpki?: string } = {}): Promise<RpBrowser> {
    const { chromium } = await import('playwright-core');
    const args = [...CHROMIUM_FLAGS, ...(options.trustSpki ? [`--ignore-certificate-errors-spki-list=${options.trustSpki}`] : [])];
    return new RpBrowser(await chromium.launch({ executablePath: await findBrowser(), headless: true, args }));
  }

  /** Starts a fresh context (a new browser session, as a new user would have). */
  async newSession(): Promise<void> {
    await this.#context?.close();
    this.responses.length = 0;
    this.#context = await this.#browser.newContext({ viewport: { width: 1000, height: 700 } });
    this.#context.on('response', (response) => {
      this.responses.push({ url: response.url(), status: response.status() });
    });
  }

  /** Opens `url` in a new page of the current session and reads where it ends (see the module's documentation). */
  async visit(url: string, options: VisitOptions): Promise<Visit> {
    if (this.#context === undefined) await this.newSession();
    const page = await this.#context!.newPage();
    try {
      return await watch(page, url, options);
    } finally {
      await page.close().catch(() => undefined);
    }
  }

  /** Closes the session and the browser. */
  async close(): Promise<void> {
    await this.#context?.close().catch(() => undefined);
    await this.#browser.close();
  }
}

/** Opens `url` on `page` and waits until the selector appears, the page settles without it, or the deadline. */
async function watch(page: Page, url: string, options: VisitOptions): Promise<Visit> {
  let lastActivity = Date.now();
  // Requests under way. A request counts as done once its response has come (a 401 with an
  // authentication challenge, say, never "finishes" in Chromium's eyes).
  const inflight = new Set<import('playwright-core').Request>();
  const active = (): void => {
    lastActivity = Date.now();
  };
  page.on('request', (request) => {
    inflight.add(request);
    active();
  });
  const done = (request: import('playwright-core').Request): void => {
    inflight.delete(request);
    active();
  };
  page.on('response', (response) => done(response.request()));
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  page.on('framenavigated', active);
  const deadline = Date.now() + options.timeoutMs;
  try {
    await page.goto(url, { waitUntil: 'commit', timeout: options.timeoutMs });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    if (/ERR_CONNECTION_REFUSED|ERR_NAME_NOT_RESOLVED|ERR_ADDRESS_UNREACHABLE|ERR_CONNECTION_RESET/.test(message)) {
      return { found: false, says: `the browser could not open ${url}: ${message}`, endUrl: url, unreachable: message };
    }
    // A navigation aborted by the page itself (a redirect away) is no failure: keep watching.
  }
  let says = '';
  for (;;) {
    const present = await page.locator(options.selector).count().catch(() => 0);
    if (present > 0) {
      says = `found ${options.selector} on ${pageName(page.url())}`;
      break;
    }
    if (options.refused !== undefined && (await page.locator(options.refused).count().catch(() => 0)) > 0) {
      const text = (await page.locator(options.refused).first().innerText({ timeout: 1000 }).catch(() => '')).trim().slice(0, 300);
      says = `${pageName(page.url())} shows ${options.refused}${text ? `: ${text}` : ''}`;
      break;
    }
    const now = Date.now();
    if (now >= deadline) {
      says = `no ${options.selector} on ${pageName(page.url())} after ${options.timeoutMs} ms`;
      break;
    }
    if (inflight.size === 0 && now - lastActivity >= options.settleMs) {
      says = `the page ${pageName(page.url())} settled without ${options.selector}`;
      break;
    }
    await page.waitForTimeout(50).catch(() => undefined);
  }
  const found = says.startsWith('found ');
  const screenshot = await page.screenshot({ fullPage: true, timeout: 5000 }).catch(() => undefined);
  return { found, says, endUrl: page.url(), screenshot };
}

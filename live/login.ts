/**
 * One end-user login through a real browser: open the authorization request, let a recipe get
 * through the provider's pages, and wait until the browser is back at the RP.
 */
import type { Browser, Page } from 'playwright-core';
import type { LoginCredentials, LoginRecipe, TakeScreenshot } from './login-recipes/types.js';
import { describePage, describeUrl } from './describe-page.js';
import { LoginStepError } from './login-step-error.js';
import { redactSecret } from './redact-secret.js';

/** Receives each screenshot of a login as PNG bytes (e.g. to attach to a report). */
export type ScreenshotSink = (name: string, png: Buffer) => void | Promise<void>;

/** What loginThroughBrowser needs. */
export interface BrowserLoginOptions {
  /** A launched browser (see ./browser.ts); each login gets its own fresh context. */
  browser: Browser;
  /** The authorization request URL. */
  url: string;
  /** How to get through the provider's login and consent pages. */
  recipe: LoginRecipe;
  credentials: LoginCredentials;
  /** The login is over when the browser has loaded a URL starting with this (the RP's callback). */
  returnUrlPrefix: string;
  /** The whole login's time budget; 30 000 ms when absent. */
  timeoutMs?: number;
  /** Gets "login-filled" (password masked), "consent" and "after-redirect" screenshots. */
  screenshot?: ScreenshotSink;
}

/** Where a browser login ended. */
export interface BrowserLoginResult {
  /** The URL the browser shows after the page at returnUrlPrefix loaded (the RP may redirect on). */
  finalUrl: string;
  /** HTTP status of the RP's answer to the first request at returnUrlPrefix, when seen. */
  status: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Logs in through the browser and closes the context afterwards.
 * @throws LoginStepError naming the failed step; no error ever contains the password.
 */
export async function loginThroughBrowser(options: BrowserLoginOptions): Promise<BrowserLoginResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const remaining = (): number => Math.max(1, deadline - Date.now());
  const { returnUrlPrefix } = options;
  const context = await options.browser.newContext();
  try {
    const page = await context.newPage();
    let status: number | undefined;
    page.on('response', (response) => {
      if (status === undefined && response.url().startsWith(returnUrlPrefix)
        && response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
        status = response.status();
      }
    });

    try {
      await page.goto(options.url, { waitUntil: 'domcontentloaded', timeout: remaining() });
    } catch (error) {
      throw new LoginStepError('authorization request',
        `could not open ${describeUrl(options.url)}: ${firstLine(error)}`);
    }

    if (!page.url().startsWith(returnUrlPrefix)) {
      await options.recipe(page, options.credentials, {
        screenshot: takeScreenshot(page, options.screenshot),
        timeoutMs: remaining(),
      });
    }

    try {
      await page.waitForURL((url) => url.href.startsWith(returnUrlPrefix), { waitUntil: 'load', timeout: remaining() });
    } catch {
      throw new LoginStepError('redirect back to the RP',
        `the redirect back to the RP did not happen within ${timeoutMs} ms; `
        + `the browser is at ${await describePage(page)}, expected ${describeUrl(returnUrlPrefix)}...`);
    }
    await takeScreenshot(page, options.screenshot)('after-redirect');
    return { finalUrl: page.url(), status };
  } catch (error) {
    throw redactSecret(error, options.credentials.password);
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** The recipe-facing screenshot function, feeding PNGs to the caller's sink (a no-op without one). */
function takeScreenshot(page: Page, sink: ScreenshotSink | undefined): TakeScreenshot {
  return async (name, shotOptions) => {
    if (sink === undefined) return;
    const png = await page.screenshot({ mask: shotOptions?.mask ?? [], animations: 'disabled' });
    await sink(name, png);
  };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? '';
}

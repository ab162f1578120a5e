/** Following a front-channel request that needs no login: an RP-initiated logout, say. */
import type { Browser } from 'playwright-core';
import { LoginStepError } from './login-step-error.js';
import type { ScreenshotSink } from './login.js';

/** What followThroughBrowser needs. */
export interface FollowOptions {
  /** A launched browser; the request gets a fresh context. */
  browser: Browser;
  /** Where the browser goes (the OP's end_session_endpoint with its parameters). */
  url: string;
  /** Done when the browser has loaded a URL starting with this (the RP's post-logout redirect URI). */
  returnUrlPrefix: string;
  /** Time budget in milliseconds. */
  timeoutMs: number;
  /** Buttons that confirm a logout on the provider's page (oidc-provider's and Keycloak's by default). */
  confirm?: readonly string[];
  /** Gets the "after-return" screenshot. */
  screenshot?: ScreenshotSink;
}

const CONFIRM_BUTTONS = ['button[name="logout"]', '#kc-logout', 'input[name="logout"]'];

/**
 * Opens `url`, confirms on the provider's page when it asks (a logout confirmation), and waits
 * until the browser is back at the RP.
 * @throws {LoginStepError} "redirect back to the RP" when it does not come back in time.
 */
export async function followThroughBrowser(options: FollowOptions): Promise<{ finalUrl: string }> {
  const context = await options.browser.newContext();
  try {
    const page = await context.newPage();
    const back = (u: URL): boolean => u.href.startsWith(options.returnUrlPrefix);
    await page.goto(options.url, { waitUntil: 'load', timeout: options.timeoutMs });
    if (!back(new URL(page.url()))) {
      const button = page.locator((options.confirm ?? CONFIRM_BUTTONS).join(', ')).first();
      if ((await button.count()) > 0) await Promise.all([page.waitForURL(back, { timeout: options.timeoutMs }), button.click()]);
      else await page.waitForURL(back, { timeout: options.timeoutMs });
    }
    await page.waitForLoadState('load');
    if (options.screenshot) await options.screenshot('after-return', await page.screenshot());
    return { finalUrl: page.url() };
  } catch (cause) {
    if (cause instanceof LoginStepError) throw cause;
    throw new LoginStepError('redirect back to the RP', `the browser did not come back to the RP within ${options.timeoutMs} ms`);
  } finally {
    await context.close();
  }
}

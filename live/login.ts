/**
 * One end-user login through a real browser, in a fresh context: open the authorization
 * request, do the login steps, and wait until the browser is back at the RP. For a login that
 * shares the provider's session with later requests (a logout), use ./browser-session.ts.
 */
import type { Browser } from 'playwright-core';
import { BrowserSession } from './browser-session.js';
import { PASSWORD_PLACEHOLDER, USERNAME_PLACEHOLDER } from './login-presets.js';
import type { LoginStep, ScreenshotSink } from './login-steps.js';

export type { ScreenshotSink } from './login-steps.js';

/** What loginThroughBrowser needs. */
export interface BrowserLoginOptions {
  /** A launched browser (see ./browser.ts). */
  browser: Browser;
  /** The authorization request URL. */
  url: string;
  /** The login steps, typing `$username` and `$password` (a preset's, e.g. `oidcProviderRecipe`). */
  recipe: readonly LoginStep[];
  credentials: { username: string; password: string };
  /** The login is over when the browser has loaded a URL starting with this (the RP's callback). */
  returnUrlPrefix: string;
  /** The whole login's time budget; 30 000 ms when absent. */
  timeoutMs?: number;
  /** Gets "login-filled" (secret fields masked) and "after-redirect" screenshots. */
  screenshot?: ScreenshotSink;
}

/** Where a browser login ended. */
export interface BrowserLoginResult {
  /** The URL the browser shows at the RP. */
  finalUrl: string;
  /** HTTP status of the RP's answer to the first request at returnUrlPrefix, when seen. */
  status: number | undefined;
}

/**
 * Logs in through the browser and closes the context afterwards.
 * @throws {import('./login-step-error.js').LoginStepError} naming the failed stage; never the password.
 */
export async function loginThroughBrowser(options: BrowserLoginOptions): Promise<BrowserLoginResult> {
  const session = await BrowserSession.open({
    browser: options.browser,
    login: options.recipe,
    logout: [],
    values: new Map([[USERNAME_PLACEHOLDER, options.credentials.username], [PASSWORD_PLACEHOLDER, options.credentials.password]]),
    returnUrlPrefix: options.returnUrlPrefix,
    timeoutMs: options.timeoutMs ?? 30_000,
    ...(options.screenshot ? { screenshot: options.screenshot } : {}),
  });
  try {
    const signedIn = await session.signIn(options.url);
    return { finalUrl: signedIn.url, status: signedIn.status };
  } finally {
    await session.close();
  }
}

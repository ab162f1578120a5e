/**
 * The login procedure shared by every username/password provider: wait for the login form,
 * fill it, submit it, accept consent pages, and stop once the browser has left the provider.
 */
import type { Page } from 'playwright-core';
import { describePage, describeUrl } from '../describe-page.js';
import { LoginStepError } from '../login-step-error.js';
import type { LoginRecipe, LoginSelectors } from './types.js';

/** How often the page is looked at while waiting for consent or the redirect away. */
const POLL_MS = 100;

/** More consent pages than this in one login means the provider is looping. */
const MAX_CONSENT_PAGES = 3;

/**
 * A recipe for a provider whose login form and consent button match `selectors`.
 * The screenshot "login-filled" is taken with the password field masked, just before submitting;
 * "consent" before accepting each consent page.
 */
export function formLoginRecipe(selectors: LoginSelectors): LoginRecipe {
  return async (page, credentials, { screenshot, timeoutMs }) => {
    const deadline = Date.now() + timeoutMs;
    const remaining = (): number => Math.max(1, deadline - Date.now());
    const username = page.locator(selectors.username).first();
    const password = page.locator(selectors.password).first();
    const consent = selectors.consent === undefined ? undefined : page.locator(selectors.consent).first();

    try {
      await username.waitFor({ state: 'visible', timeout: remaining() });
    } catch {
      throw new LoginStepError('login page did not appear',
        `no ${selectors.username} within ${timeoutMs} ms; the browser is at ${await describePage(page)}`);
    }
    const providerOrigin = new URL(page.url()).origin;

    try {
      await username.fill(credentials.username, { timeout: remaining() });
      await password.fill(credentials.password, { timeout: remaining() });
    } catch {
      throw new LoginStepError('login form',
        `could not fill ${selectors.username} and ${selectors.password} on ${describeUrl(page.url())}`);
    }
    await screenshot('login-filled', { mask: [password] });
    await submitAndWaitForNavigation(page, selectors.submit, remaining(), 'login form');

    let consentPages = 0;
    for (;;) {
      if (hasLeft(page, providerOrigin)) return;
      if (Date.now() >= deadline) {
        throw new LoginStepError('redirect back to the RP',
          `the provider did not redirect away from ${providerOrigin} within ${timeoutMs} ms; `
          + `the browser is at ${await describePage(page)}`);
      }
      if (consent !== undefined && await isVisible(consent)) {
        consentPages += 1;
        if (consentPages > MAX_CONSENT_PAGES) {
          throw new LoginStepError('consent', `the provider showed more than ${MAX_CONSENT_PAGES} consent pages`);
        }
        await screenshot('consent');
        await submitAndWaitForNavigation(page, selectors.consent!, remaining(), 'consent');
        continue;
      }
      if (await isVisible(username) && await isVisible(password)) {
        throw new LoginStepError('login rejected',
          `the login page is shown again at ${describeUrl(page.url())} (wrong credentials?)`);
      }
      await delay(POLL_MS);
    }
  };
}

/** Clicks `selector` and waits until the main frame has navigated (the form was posted). */
async function submitAndWaitForNavigation(
  page: Page,
  selector: string,
  timeoutMs: number,
  step: 'login form' | 'consent',
): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', {
    predicate: (frame) => frame === page.mainFrame(),
    timeout: timeoutMs,
  });
  navigated.catch(() => undefined);
  try {
    await page.locator(selector).first().click({ timeout: timeoutMs });
  } catch {
    throw new LoginStepError(step, `could not click ${selector} on ${describeUrl(page.url())}`);
  }
  try {
    await navigated;
  } catch {
    throw new LoginStepError(step, `clicking ${selector} did not lead anywhere within ${timeoutMs} ms`);
  }
}

/** True once the page is no longer on the provider's origin (at the RP, or on an error page). */
function hasLeft(page: Page, providerOrigin: string): boolean {
  const url = page.url();
  return !URL.canParse(url) || new URL(url).origin !== providerOrigin;
}

/** `locator.isVisible()`, treating a page in the middle of navigating as "not visible". */
async function isVisible(locator: ReturnType<Page['locator']>): Promise<boolean> {
  try {
    return await locator.isVisible();
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The user's browser for one scenario: one Chromium context that keeps the provider's cookies
 * from the login to the logout, so that a logout happens in the browser that logged in.
 *
 * Every wait ends either at the RP (a URL starting with `returnUrlPrefix`) or when the page has
 * come to rest on the provider (no navigation and no request for a while), so a provider that
 * never sends the browser back is described at once rather than after the whole timeout.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describePage, describeUrl } from './describe-page.js';
import { LoginStepError } from './login-step-error.js';
import { credentialSelectors, runSteps, takeScreenshot, type LoginStep, type ScreenshotSink } from './login-steps.js';
import { redactError } from '../src/transport/redact.js';

/** What a browser session needs. */
export interface BrowserSessionOptions {
  /** A launched browser (./browser.ts); the session gets a fresh context of its own. */
  browser: Browser;
  /** The provider's login steps. */
  login: readonly LoginStep[];
  /** The steps that confirm a logout on the provider's pages. */
  logout: readonly LoginStep[];
  /** The values the fill steps type, by environment variable name. */
  values: ReadonlyMap<string, string>;
  /** The RP: a URL starting with this means the provider sent the browser back. */
  returnUrlPrefix: string;
  /** The time budget of one login or logout, in milliseconds. */
  timeoutMs: number;
  /** How long the page must stay quiet to count as at rest. Default 2,000 ms. */
  restMs?: number;
  /** How long a login step may wait on a quiet page for its element. Default 5,000 ms (see ./login-steps.ts). */
  stallMs?: number;
  /** Gets the screenshots ("login-filled", "after-redirect", "stopped"); secret fields masked. */
  screenshot?: ScreenshotSink;
}

/** Where a visit ended. */
export interface Visit {
  /** At the RP, or at rest on a provider page. */
  at: 'rp' | 'provider';
  /** The full URL the browser shows (query and fragment included: handle with care). */
  url: string;
  /** Whether a field of the login steps was visible: the provider asked for credentials. */
  askedForCredentials: boolean;
  /** Where the browser is, in words without query or fragment (for messages). */
  where: string;
}

/** Where a login ended. */
export interface SignIn {
  /** The URL at the RP (query and fragment included). */
  url: string;
  /** The HTTP status of the RP's answer to the first request at the RP, when seen. */
  status: number | undefined;
  /** Whether the provider asked for credentials (false: it still had a session). */
  askedForCredentials: boolean;
}

/** How often the page is looked at while waiting. */
const POLL_MS = 100;

/** One scenario's browser. */
export class BrowserSession {
  readonly #options: BrowserSessionOptions;
  readonly #context: BrowserContext;
  readonly #page: Page;
  #rpStatus: number | undefined;
  /** The status of the main frame's last navigation, and its URL (origin and path). */
  #lastNavigation: { status: number; where: string } | undefined;
  #requests = 0;

  private constructor(options: BrowserSessionOptions, context: BrowserContext, page: Page) {
    this.#options = options;
    this.#context = context;
    this.#page = page;
    page.on('request', () => {
      this.#requests += 1;
    });
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
        this.#lastNavigation = { status: response.status(), where: describeUrl(response.url()) };
      }
      if (this.#rpStatus === undefined && response.url().startsWith(options.returnUrlPrefix)
        && response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
        this.#rpStatus = response.status();
      }
    });
  }

  /** Opens a fresh browser context. */
  static async open(options: BrowserSessionOptions): Promise<BrowserSession> {
    const context = await options.browser.newContext();
    return new BrowserSession(options, context, await context.newPage());
  }

  /** The values a message must never show: everything the steps type. */
  get #typed(): string[] {
    return [...this.#options.values.values()];
  }

  /**
   * Opens `url` (an authorization request), does the login steps when the provider asks for
   * credentials, and resolves once the browser is back at the RP.
   * @throws {LoginStepError} naming the stage that failed and where the browser is; never a typed value.
   */
  async signIn(url: string): Promise<SignIn> {
    const { timeoutMs } = this.#options;
    const deadline = Date.now() + timeoutMs;
    const remaining = (): number => Math.max(1, deadline - Date.now());
    this.#rpStatus = undefined;
    try {
      await this.#open(url, remaining());
      let asked = false;
      if (!this.#atRp()) {
        const result = await runSteps(this.#page, this.#options.login, {
          values: this.#options.values,
          returnUrlPrefix: this.#options.returnUrlPrefix,
          timeoutMs: remaining(),
          ...(this.#options.stallMs === undefined ? {} : { stallMs: this.#options.stallMs }),
          ...(this.#options.screenshot ? { screenshot: this.#options.screenshot } : {}),
        });
        asked = result.askedForCredentials;
      }
      const end = await this.#waitForRpOrRest(remaining());
      if (end !== 'rp') {
        await this.#shoot('stopped');
        if (await this.#asksForCredentials()) {
          throw new LoginStepError('login rejected', `after the login steps the provider shows its login page again at ${describeUrl(this.#page.url())} (wrong credentials, or steps that do not fit its pages?)`);
        }
        throw new LoginStepError('redirect back to the RP',
          `${end === 'rest' ? 'the browser came to rest' : `within ${timeoutMs} ms the browser stayed`} at ${await describePage(this.#page)}, `
          + `not at ${describeUrl(this.#options.returnUrlPrefix)}`);
      }
      await this.#page.waitForLoadState('load', { timeout: remaining() }).catch(() => undefined);
      await this.#shoot('after-redirect');
      return { url: this.#page.url(), status: this.#rpStatus, askedForCredentials: asked };
    } catch (error) {
      throw this.#redact(error);
    }
  }

  /**
   * Opens `url` (an RP-initiated logout at the provider), does the logout steps the provider's
   * pages ask for, and resolves where the browser ended: back at the RP, or at rest on the provider.
   */
  async followLogout(url: string): Promise<Visit> {
    const deadline = Date.now() + this.#options.timeoutMs;
    const remaining = (): number => Math.max(1, deadline - Date.now());
    try {
      await this.#open(url, remaining());
      if (!this.#atRp()) {
        await runSteps(this.#page, this.#options.logout, {
          values: this.#options.values,
          returnUrlPrefix: this.#options.returnUrlPrefix,
          timeoutMs: remaining(),
        });
      }
      await this.#waitForRpOrRest(remaining());
      await this.#shoot(this.#atRp() ? 'after-logout' : 'logout-stopped');
      return await this.#visit();
    } catch (error) {
      throw this.#redact(error);
    }
  }

  /**
   * Opens `url` and sees where the browser ends: at the RP, or at rest on the provider (asking for
   * credentials, or not). With `signInIfAsked`, a provider that asks for credentials gets the
   * login steps, and the visit ends after them.
   */
  async visit(url: string, options: { signInIfAsked?: boolean } = {}): Promise<Visit> {
    const deadline = Date.now() + this.#options.timeoutMs;
    const remaining = (): number => Math.max(1, deadline - Date.now());
    try {
      await this.#open(url, remaining());
      const end = await this.#waitForRpOrRest(remaining(), true);
      if (end === 'asked' && options.signInIfAsked === true) {
        await runSteps(this.#page, this.#options.login, {
          values: this.#options.values,
          returnUrlPrefix: this.#options.returnUrlPrefix,
          timeoutMs: remaining(),
          ...(this.#options.screenshot ? { screenshot: this.#options.screenshot } : {}),
        });
        await this.#waitForRpOrRest(remaining());
        return { ...(await this.#visit()), askedForCredentials: true };
      }
      return await this.#visit();
    } catch (error) {
      throw this.#redact(error);
    }
  }

  /** Closes the context, and with it the provider's cookies. */
  async close(): Promise<void> {
    await this.#context.close().catch(() => undefined);
  }

  async #visit(): Promise<Visit> {
    const at = this.#atRp() ? 'rp' : 'provider';
    const errorPage = this.#page.url().startsWith('chrome-error:') && this.#lastNavigation !== undefined;
    return {
      at,
      url: this.#page.url(),
      askedForCredentials: at === 'provider' && await this.#asksForCredentials(),
      where: at === 'rp' ? describeUrl(this.#page.url())
        : errorPage ? `${this.#lastNavigation!.where} (HTTP ${this.#lastNavigation!.status} with no page)`
          : await describePage(this.#page),
    };
  }

  async #open(url: string, timeoutMs: number): Promise<void> {
    try {
      await this.#page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    } catch (error) {
      // A redirect straight to the RP that the RP answers slowly still counts as arrived.
      if (this.#atRp()) return;
      // An HTTP error without a page (Chromium shows its own): the provider answered, and refused.
      if (/ERR_HTTP_RESPONSE_CODE_FAILURE/.test(String(error)) && this.#lastNavigation !== undefined) return;
      const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      throw new LoginStepError('authorization request', `could not open ${describeUrl(url)}: ${first}`);
    }
  }

  #atRp(): boolean {
    return this.#page.url().startsWith(this.#options.returnUrlPrefix);
  }

  /** Whether a field of the login steps is visible. */
  async #asksForCredentials(): Promise<boolean> {
    for (const selector of credentialSelectors(this.#options.login)) {
      try {
        if (await this.#page.locator(selector).first().isVisible()) return true;
      } catch {
        // a page in the middle of navigating shows nothing
      }
    }
    return false;
  }

  /**
   * Waits until the browser is at the RP, or the page has been quiet for `restMs`, or (with
   * `untilAsked`) the provider asks for credentials, or the time is up.
   */
  async #waitForRpOrRest(timeoutMs: number, untilAsked = false): Promise<'rp' | 'rest' | 'asked' | 'timeout'> {
    const deadline = Date.now() + timeoutMs;
    const restMs = this.#options.restMs ?? 2_000;
    let lastUrl = this.#page.url();
    let lastRequests = this.#requests;
    let quietSince = Date.now();
    for (;;) {
      if (this.#atRp()) return 'rp';
      if (untilAsked && await this.#asksForCredentials()) return 'asked';
      if (this.#page.url() !== lastUrl || this.#requests !== lastRequests) {
        lastUrl = this.#page.url();
        lastRequests = this.#requests;
        quietSince = Date.now();
      }
      if (Date.now() - quietSince >= restMs) return 'rest';
      if (Date.now() >= deadline) return 'timeout';
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async #shoot(name: string): Promise<void> {
    await takeScreenshot(this.#page, this.#options.login, this.#options.screenshot, name);
  }

  #redact(error: unknown): Error {
    return redactError(error, this.#typed);
  }
}

/**
 * Finding and launching the Chromium that drives real logins.
 *
 * playwright-core is imported lazily inside the functions, so importing this module for its
 * types costs nothing.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** The environment variable that names a Chromium executable explicitly. */
export const CHROMIUM_ENV_VARIABLE = 'OIDC_HARNESS_CHROMIUM';

/** Debian's and Ubuntu's packaged Chromium. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Flags that keep Chromium quiet and self-contained on a closed network (without them it tries Google's hosts at every start). */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What to say when no browser is found: how to get one. */
export const NO_BROWSER_MESSAGE = 'No Chromium found. Get one with '
  + '`apt-get install -y chromium` (Debian/Ubuntu, gives /usr/bin/chromium), or '
  + '`npx playwright install chromium` elsewhere, or set '
  + `${CHROMIUM_ENV_VARIABLE} to the path of a Chromium executable.`;

/**
 * The Chromium executable to use: `$OIDC_HARNESS_CHROMIUM` if set (it must exist),
 * else /usr/bin/chromium, else Playwright's own downloaded Chromium.
 * @throws Error with NO_BROWSER_MESSAGE when none exists.
 */
export async function findBrowser(): Promise<string> {
  const fromEnv = process.env[CHROMIUM_ENV_VARIABLE];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`${CHROMIUM_ENV_VARIABLE} is set to ${fromEnv}, which does not exist. ${NO_BROWSER_MESSAGE}`);
  }
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  const { chromium } = await import('playwright-core');
  let bundled: string | undefined;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled !== undefined && bundled !== '' && existsSync(bundled)) return bundled;
  throw new Error(NO_BROWSER_MESSAGE);
}

/** Options for launchBrowser. */
export interface LaunchBrowserOptions {
  /** The executable; `findBrowser()` when absent. */
  executablePath?: string;
  /** Headless unless false (false is for watching a login locally). */
  headless?: boolean;
}

/**
 * Launches Chromium headless with CHROMIUM_FLAGS and a fresh temporary profile.
 * Give every login its own `browser.newContext()`; close the browser when done.
 */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? await findBrowser();
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    headless: options.headless ?? true,
    args: [...CHROMIUM_FLAGS],
  });
}

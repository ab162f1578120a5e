/**
 * A login (or logout) as a list of steps, as a configuration writes it: fill a field with a value
 * from the environment, click, tick checkboxes, wait for a selector or a URL. A step marked
 * `optional` is done when what it acts on shows up (a consent page, a "stay signed in" page) and
 * skipped when the page moves on without it.
 *
 * The runner never waits for a navigation after a click: the next step waits for what it needs
 * (Playwright's auto-waiting), so forms that navigate, single-page forms that submit in the
 * background, and username-then-password pages all work the same way.
 *
 * playwright-core is only imported for its types here.
 */
import type { Locator, Page } from 'playwright-core';
import { describePage, describeUrl } from './describe-page.js';
import { LoginStepError } from './login-step-error.js';

/** Fills a field with the value of an environment variable. */
export interface FillStep {
  /** The field's selector (CSS or Playwright). */
  fill: string;
  /** The environment variable that holds what is typed. */
  env: string;
  /** Masks the field in screenshots (a password); `input[type=password]` is always masked. */
  secret?: boolean;
  optional?: boolean;
}

/** Clicks the first element the selector matches. */
export interface ClickStep {
  click: string;
  optional?: boolean;
}

/** Ticks every checkbox the selector matches (the scopes on a consent page, say). */
export interface CheckStep {
  check: string;
  optional?: boolean;
}

/** Waits until an element the selector matches is visible. */
export interface WaitForStep {
  wait_for: string;
  optional?: boolean;
}

/** Waits until the browser is at a URL matching a glob (`**\/consent*`). */
export interface WaitForUrlStep {
  wait_for_url: string;
  optional?: boolean;
}

/** One step of a login or logout. */
export type LoginStep = FillStep | ClickStep | CheckStep | WaitForStep | WaitForUrlStep;

/** Receives each screenshot as PNG bytes (e.g. to attach it to a report). */
export type ScreenshotSink = (name: string, png: Buffer) => void | Promise<void>;

/** What running steps needs besides the page. */
export interface RunStepsOptions {
  /** The values the fill steps type, by environment variable name. */
  values: ReadonlyMap<string, string>;
  /** The run is over as soon as the browser is at a URL starting with this (the RP). */
  returnUrlPrefix: string;
  /** The time budget of all the steps, in milliseconds. */
  timeoutMs: number;
  /** How long the page must stay quiet before an optional step is given up. Default 1,500 ms. */
  settleMs?: number;
  /** How long the page may stay quiet without a required step's element before the step fails. Default 5,000 ms. */
  stallMs?: number;
  /** Gets "login-filled" before the first click after fills (secret fields masked). */
  screenshot?: ScreenshotSink;
}

/** What the steps did. */
export interface RunStepsResult {
  /** Whether the browser reached the RP before the last step (the provider skipped its pages). */
  returned: boolean;
  /** How many steps were done; optional steps skipped are not counted. */
  done: number;
  /** Whether a fill step's field appeared: the provider asked for credentials. */
  askedForCredentials: boolean;
}

/** How often the page is looked at while an optional step waits. */
const POLL_MS = 100;

/** The selector (or URL glob) a step acts on, in words for messages. */
export function describeStep(step: LoginStep): string {
  if ('fill' in step) return `fill ${step.fill} from ${step.env.startsWith('$') ? step.env : `$${step.env}`}`;
  if ('click' in step) return `click ${step.click}`;
  if ('check' in step) return `tick ${step.check}`;
  if ('wait_for' in step) return `wait for ${step.wait_for}`;
  return `wait for the URL ${step.wait_for_url}`;
}

/** The selector a step waits for, when it is one on the page. */
function selectorOf(step: LoginStep): string | undefined {
  if ('fill' in step) return step.fill;
  if ('click' in step) return step.click;
  if ('check' in step) return step.check;
  if ('wait_for' in step) return step.wait_for;
  return undefined;
}

/** The environment variables the steps read, in order, without repeats. */
export function stepEnvironment(steps: readonly LoginStep[]): string[] {
  return [...new Set(steps.flatMap((step) => ('fill' in step ? [step.env] : [])))];
}

/** The selectors of the fill steps: when one is visible, the provider is asking for credentials. */
export function credentialSelectors(steps: readonly LoginStep[]): string[] {
  return steps.flatMap((step) => ('fill' in step ? [step.fill] : []));
}

/**
 * Runs the steps on `page`, stopping early when the browser reaches the RP.
 * @throws {LoginStepError} naming the step that failed and where the browser was; never a typed value.
 */
export async function runSteps(page: Page, steps: readonly LoginStep[], options: RunStepsOptions): Promise<RunStepsResult> {
  const deadline = Date.now() + options.timeoutMs;
  const remaining = (): number => Math.max(1, deadline - Date.now());
  const atRp = (): boolean => page.url().startsWith(options.returnUrlPrefix);
  let done = 0;
  let askedForCredentials = false;
  let filledSinceShot = false;

  for (const [index, step] of steps.entries()) {
    if (atRp()) return { returned: true, done, askedForCredentials };
    const next = step.optional === true ? steps.slice(index + 1).find((s) => s.optional !== true) : undefined;
    const found = await awaitTarget(page, step, next, options, remaining);
    if (found === 'rp') return { returned: true, done, askedForCredentials };
    if (found === 'moved-on') continue;
    if (found !== 'present') {
      throw new LoginStepError('login step',
        `step ${index + 1} (${describeStep(step)}): ${found === 'stalled' ? 'the page came to rest without it' : `not there within ${options.timeoutMs} ms`}; `
        + `the browser is at ${await describePage(page)}`);
    }
    if ('click' in step && filledSinceShot) {
      await takeScreenshot(page, steps, options.screenshot, 'login-filled');
      filledSinceShot = false;
    }
    try {
      await perform(page, step, options.values, remaining());
    } catch (error) {
      if (error instanceof LoginStepError) throw error;
      throw new LoginStepError(step.optional === true ? 'optional step' : 'login step',
        `step ${index + 1} (${describeStep(step)}) failed; the browser is at ${await describePage(page)}`);
    }
    if ('fill' in step) {
      askedForCredentials = true;
      filledSinceShot = true;
    }
    done += 1;
  }
  return { returned: atRp(), done, askedForCredentials };
}

/** Does one step; Playwright waits for its element (or URL) within `timeoutMs`. */
async function perform(page: Page, step: LoginStep, values: ReadonlyMap<string, string>, timeoutMs: number): Promise<void> {
  if ('fill' in step) {
    const value = values.get(step.env);
    if (value === undefined) throw new LoginStepError('login step', `no value for $${step.env}`);
    await page.locator(step.fill).first().fill(value, { timeout: timeoutMs });
  } else if ('click' in step) {
    await page.locator(step.click).first().click({ timeout: timeoutMs });
  } else if ('check' in step) {
    const boxes = page.locator(step.check);
    for (const box of await boxes.all()) {
      if (await box.isVisible() && !(await box.isChecked())) await box.check({ timeout: timeoutMs });
    }
  } else if ('wait_for' in step) {
    await page.locator(step.wait_for).first().waitFor({ state: 'visible', timeout: timeoutMs });
  } else {
    await page.waitForURL(step.wait_for_url, { timeout: timeoutMs });
  }
}

/**
 * Waits for what a step acts on. A required step's element (or URL) is `present`, or the browser
 * reached the RP (`rp`), or the page came to rest for `stallMs` without it (`stalled`), or the
 * time ran out (`timeout`). An optional step is `present` when its element shows up, and
 * `moved-on` when the next required step's element shows up first, or the page stays quiet for
 * `settleMs` without it.
 */
async function awaitTarget(
  page: Page,
  step: LoginStep,
  next: LoginStep | undefined,
  options: RunStepsOptions,
  remaining: () => number,
): Promise<'present' | 'moved-on' | 'rp' | 'stalled' | 'timeout'> {
  const optional = step.optional === true;
  const own = selectorOf(step);
  const nextSelector = next === undefined ? undefined : selectorOf(next);
  const quietMs = optional ? options.settleMs ?? 1_500 : options.stallMs ?? 5_000;
  let lastUrl = page.url();
  let quietSince = Date.now();
  let requests = 0;
  const onRequest = (): void => {
    requests += 1;
  };
  page.on('request', onRequest);
  try {
    for (;;) {
      if (page.url().startsWith(options.returnUrlPrefix)) return 'rp';
      if (own !== undefined ? await visible(page.locator(own).first()) : urlMatches(page.url(), (step as WaitForUrlStep).wait_for_url)) return 'present';
      if (optional && nextSelector !== undefined && await visible(page.locator(nextSelector).first())) return 'moved-on';
      if (page.url() !== lastUrl || requests > 0) {
        lastUrl = page.url();
        requests = 0;
        quietSince = Date.now();
      }
      if (Date.now() - quietSince >= quietMs) return optional ? 'moved-on' : 'stalled';
      if (remaining() <= POLL_MS) return optional ? 'moved-on' : 'timeout';
      await delay(POLL_MS);
    }
  } finally {
    page.off('request', onRequest);
  }
}

/** Whether `url` matches a Playwright-style glob (`*` within a segment, `**` across them). */
export function urlMatches(url: string, glob: string): boolean {
  let pattern = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      pattern += '.*';
      i += 1;
    } else if (c === '*') {
      pattern += '[^/]*';
    } else {
      pattern += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${pattern}$`).test(url);
}

/** `locator.isVisible()`, treating a page in the middle of navigating as "not visible". */
async function visible(locator: Locator): Promise<boolean> {
  try {
    return await locator.isVisible();
  } catch {
    return false;
  }
}

/**
 * A screenshot of the page with the secret fields (and every password input) masked, handed to
 * `sink`; nothing without a sink.
 */
export async function takeScreenshot(page: Page, steps: readonly LoginStep[], sink: ScreenshotSink | undefined, name: string): Promise<void> {
  if (sink === undefined) return;
  const mask = [page.locator('input[type="password"]'), ...steps.flatMap((s) => ('fill' in s && s.secret === true ? [page.locator(s.fill)] : []))];
  try {
    await sink(name, await page.screenshot({ mask, animations: 'disabled' }));
  } catch {
    // A page that closed or navigated mid-screenshot leaves no picture; the login goes on.
  }
}

/** Where a URL is, for messages (origin and path only). */
export { describeUrl };

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

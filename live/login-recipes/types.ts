/** The contract of a login recipe: how to get through one provider's login and consent pages. */
import type { Locator, Page } from 'playwright-core';

/** The test user's credentials. The password must never be logged, shown or put in an error. */
export interface LoginCredentials {
  username: string;
  password: string;
}

/**
 * Takes a screenshot of the current page under `name`; `mask` covers elements (the password
 * field) with a solid box in the image.
 */
export type TakeScreenshot = (name: string, options?: { mask?: Locator[] }) => Promise<void>;

/** What a recipe is given besides the page and the credentials. */
export interface LoginRecipeOptions {
  /** Called with the password field masked, before the login form is submitted. */
  screenshot: TakeScreenshot;
  /** The whole recipe's time budget in milliseconds. */
  timeoutMs: number;
}

/**
 * Starting on (or on the way to) the provider's login page: fills and submits the login form,
 * then any consent page, and resolves once the browser has left the provider's origin.
 * Rejects with a LoginStepError naming the step.
 */
export type LoginRecipe = (
  page: Page,
  credentials: LoginCredentials,
  options: LoginRecipeOptions,
) => Promise<void>;

/** CSS (or Playwright) selectors of a provider's username/password login form. */
export interface LoginSelectors {
  username: string;
  password: string;
  submit: string;
  /** The button that accepts a consent page, when the provider shows one. */
  consent?: string;
}

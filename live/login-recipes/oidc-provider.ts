/** The login recipe for oidc-provider's development login and consent pages (devInteractions). */
import { formLoginRecipe } from './form-login.js';
import type { LoginSelectors } from './types.js';

/** Selectors of oidc-provider's devInteractions pages (any login and password are accepted). */
export const oidcProviderSelectors: LoginSelectors = {
  username: 'input[name="login"]',
  password: 'input[name="password"]',
  submit: 'button[type="submit"]',
  consent: 'button[type="submit"]:has-text("Continue")',
};

/** Logs in on oidc-provider's devInteractions login page and accepts its consent page. */
export const oidcProviderRecipe = formLoginRecipe(oidcProviderSelectors);

/** A login recipe for any username/password provider, with its selectors from configuration. */
import { formLoginRecipe } from './form-login.js';
import type { LoginRecipe, LoginSelectors } from './types.js';

/**
 * The recipe for a provider described only by its selectors, e.g.
 * `{ username: '#email', password: '#pass', submit: 'button[type=submit]', consent: '#allow' }`.
 * @throws Error when a required selector is empty.
 */
export function genericRecipe(selectors: LoginSelectors): LoginRecipe {
  for (const key of ['username', 'password', 'submit'] as const) {
    if (typeof selectors[key] !== 'string' || selectors[key].trim() === '') {
      throw new Error(`generic login recipe: the "${key}" selector is missing`);
    }
  }
  return formLoginRecipe(selectors);
}

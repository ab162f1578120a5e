/** The login recipe for Keycloak's standard login theme. */
import { formLoginRecipe } from './form-login.js';
import type { LoginSelectors } from './types.js';

/** Selectors of Keycloak's login page and its consent ("Grant access") page. */
export const keycloakSelectors: LoginSelectors = {
  username: '#username',
  password: '#password',
  submit: '#kc-login',
  // On the consent page the accept button is `<input id="kc-login" name="accept" type="submit">`.
  consent: 'input[name="accept"], button[name="accept"]',
};

/** Logs in on Keycloak's login page and accepts its consent page when one is shown. */
export const keycloakRecipe = formLoginRecipe(keycloakSelectors);

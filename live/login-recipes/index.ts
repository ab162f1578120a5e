/**
 * The login recipes by their former names: each is now the login steps of a preset
 * (./../login-presets.ts), with `$username` and `$password` standing for the typed values, as
 * {@link loginThroughBrowser} fills them in.
 */
import { LOGIN_PRESETS } from '../login-presets.js';
import type { LoginStep } from '../login-steps.js';

/** oidc-provider's devInteractions login and consent pages. */
export const oidcProviderRecipe: readonly LoginStep[] = LOGIN_PRESETS['oidc-provider'].login;

/** Keycloak's standard login theme and its consent page. */
export const keycloakRecipe: readonly LoginStep[] = LOGIN_PRESETS.keycloak.login;

/** glewlwyd's single-page login and its scope grant. */
export const glewlwydRecipe: readonly LoginStep[] = LOGIN_PRESETS.glewlwyd.login;

/** The login recipes by name, as a configuration file refers to them. */
import { genericRecipe } from './generic.js';
import { keycloakRecipe } from './keycloak.js';
import { oidcProviderRecipe } from './oidc-provider.js';
import type { LoginRecipe, LoginSelectors } from './types.js';

export type { LoginCredentials, LoginRecipe, LoginRecipeOptions, LoginSelectors, TakeScreenshot } from './types.js';
export { genericRecipe } from './generic.js';
export { keycloakRecipe, keycloakSelectors } from './keycloak.js';
export { oidcProviderRecipe, oidcProviderSelectors } from './oidc-provider.js';

/** The recipes that need no configuration. */
export const loginRecipes = {
  'oidc-provider': oidcProviderRecipe,
  keycloak: keycloakRecipe,
} as const satisfies Record<string, LoginRecipe>;

/** A recipe name a configuration may use. */
export type LoginRecipeName = keyof typeof loginRecipes | 'generic';

/**
 * The recipe called `name`; `generic` needs `selectors`.
 * @throws Error for an unknown name, or `generic` without selectors.
 */
export function loginRecipeByName(name: string, selectors?: LoginSelectors): LoginRecipe {
  if (name === 'generic') {
    if (selectors === undefined) throw new Error('the generic login recipe needs selectors { username, password, submit, consent? }');
    return genericRecipe(selectors);
  }
  if (Object.hasOwn(loginRecipes, name)) return loginRecipes[name as keyof typeof loginRecipes];
  throw new Error(`unknown login recipe "${name}"; known: ${[...Object.keys(loginRecipes), 'generic'].join(', ')}`);
}

/**
 * Login and logout steps for providers whose pages are known, written in the same form a
 * configuration uses (./login-steps.ts). A preset names its two typed values by the placeholders
 * `$username` and `$password`; the configuration says which environment variables hold them.
 */
import type { LoginStep } from './login-steps.js';

/** The placeholder for the environment variable that holds the user name. */
export const USERNAME_PLACEHOLDER = '$username';
/** The placeholder for the environment variable that holds the password. */
export const PASSWORD_PLACEHOLDER = '$password';

/** A provider's login steps and the steps that confirm a logout on its pages. */
export interface LoginPreset {
  /** What the preset is for, in one line. */
  readonly description: string;
  readonly login: readonly LoginStep[];
  readonly logout: readonly LoginStep[];
}

/** The presets by name, as `login.preset` names them. */
export const LOGIN_PRESETS = {
  'oidc-provider': {
    description: "oidc-provider's development login and consent pages (devInteractions): a form that navigates, then a consent page",
    login: [
      { fill: 'input[name="login"]', env: USERNAME_PLACEHOLDER },
      { fill: 'input[name="password"]', env: PASSWORD_PLACEHOLDER, secret: true },
      { click: 'button[type="submit"]' },
      { click: 'button[type="submit"]:has-text("Continue")', optional: true },
    ],
    logout: [{ click: 'button[name="logout"]', optional: true }],
  },
  keycloak: {
    description: "Keycloak's standard login theme: a form that navigates, then a \"Grant access\" page when the client asks for consent",
    login: [
      { fill: '#username', env: USERNAME_PLACEHOLDER },
      { fill: '#password', env: PASSWORD_PLACEHOLDER, secret: true },
      { click: '#kc-login' },
      // On the consent page the accept button is `<input id="kc-login" name="accept" type="submit">`.
      { click: 'input[name="accept"], button[name="accept"]', optional: true },
    ],
    logout: [{ click: '#kc-logout', optional: true }],
  },
  glewlwyd: {
    description: "glewlwyd's login page, a single-page app: the form submits in the background, then a scope grant and \"Continue\"",
    login: [
      { fill: '#username', env: USERNAME_PLACEHOLDER },
      { fill: '#password', env: PASSWORD_PLACEHOLDER, secret: true },
      { click: '#loginbut' },
      { check: 'input[id^="grant-"]', optional: true },
      { click: 'button:has-text("Grant access")', optional: true },
      { click: 'button:has-text("Continue")' },
    ],
    logout: [{ click: 'button:has-text("Logout")', optional: true }],
  },
} as const satisfies Record<string, LoginPreset>;

/** A preset's name. */
export type LoginPresetName = keyof typeof LOGIN_PRESETS;

/** The names of the presets, for messages and schemas. */
export const LOGIN_PRESET_NAMES = Object.keys(LOGIN_PRESETS) as [LoginPresetName, ...LoginPresetName[]];

/** A preset's steps with its placeholders replaced by the environment variables that hold the values. */
export function presetSteps(name: LoginPresetName, usernameEnv: string, passwordEnv: string): { login: LoginStep[]; logout: LoginStep[] } {
  const preset: LoginPreset = LOGIN_PRESETS[name];
  const resolve = (step: LoginStep): LoginStep => {
    if (!('fill' in step)) return { ...step };
    const env = step.env === USERNAME_PLACEHOLDER ? usernameEnv : step.env === PASSWORD_PLACEHOLDER ? passwordEnv : step.env;
    return { ...step, env };
  };
  return { login: preset.login.map(resolve), logout: preset.logout.map(resolve) };
}

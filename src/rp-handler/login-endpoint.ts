import { OidcError } from '../errors.js';
import type { RelyingParty } from '../relying-party.js';
import type { AuthorizationArgs } from '../services/authorization.js';
import type { RpEvent } from './events.js';
import { setLoginCookie } from './login-cookie.js';
import { failure, json, redirect } from './responses.js';

/**
 * Decides the authorization request of a login a browser starts at the RP's `login_uri`: the
 * application's choice (scope, response type, a `login_hint` from its own form). Given the
 * browser's request, so that it can read the application's own session.
 */
export type LoginArguments = (request: Request) => AuthorizationArgs | Promise<AuthorizationArgs>;

/** The `prompt` values a browser may ask for at the login URI by default. */
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);

/**
 * The default {@link LoginArguments}: from the query, only what concerns the user and cannot
 * change what the RP asks for: `login_hint`, `prompt` (none, login, consent, select_account),
 * `ui_locales`. Response type, scope and the rest stay the RP's.
 */
export function defaultLoginArguments(request: Request): AuthorizationArgs {
  const query = new URL(request.url).searchParams;
  const args: AuthorizationArgs = {};
  const hint = query.get('login_hint');
  if (hint && hint.length <= 256) args.login_hint = hint;
  const prompt = query.get('prompt');
  if (prompt && prompt.split(' ').every((p) => PROMPTS.has(p))) args.prompt = prompt;
  const locales = query.get('ui_locales');
  if (locales && /^[A-Za-z0-9 -]{1,64}$/.test(locales)) args['ui_locales'] = locales;
  return args;
}

/**
 * Starts a login for the browser and answers it: the login cookie (its browser binding) and a
 * redirect to the OP's authorization endpoint.
 * @returns the answer, and the login's state.
 */
export async function startBrowserLogin(rp: RelyingParty, args: AuthorizationArgs): Promise<{ response: Response; state: string }> {
  const { url, state, browserBinding } = await rp.beginLogin(args);
  const behaviourModes = rp.context.behaviour['response_modes'];
  const responseMode = args.response_mode ?? (Array.isArray(behaviourModes) && behaviourModes.length === 1 ? behaviourModes[0] : undefined);
  const cookie = setLoginCookie(state, browserBinding, {
    secure: new URL(rp.context.baseUrl).protocol === 'https:',
    maxAge: rp.context.stateDb.pendingLoginLifetime,
    formPost: responseMode === 'form_post',
  });
  return { response: redirect(url, 302, [['Set-Cookie', cookie]]), state };
}

/**
 * The RP's login URI (`login_uri`, default `{base_url}/login`): a GET starts a login (see
 * {@link startBrowserLogin}) with the arguments `loginArguments` decides.
 */
export async function loginEndpoint(rp: RelyingParty, request: Request, emit: (event: RpEvent) => void, loginArguments: LoginArguments = defaultLoginArguments): Promise<Response> {
  if (request.method !== 'GET') return json({ error: 'method_not_allowed' }, 405);
  try {
    const { response, state } = await startBrowserLogin(rp, await loginArguments(request));
    emit({ type: 'login-start', state });
    return response;
  } catch (error) {
    if (error instanceof OidcError) emit({ type: 'login-start', error });
    return failure(error);
  }
}

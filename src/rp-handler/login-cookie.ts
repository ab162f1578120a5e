/**
 * The login cookie: what binds a pending login to the browser that started it. When a login
 * starts, the RP sets a cookie holding a random browser binding (the session keeps only its
 * SHA-256); the authorization response is taken only from a browser that brings the cookie
 * back, so a `state` alone, an attacker's say, completes nothing (login CSRF, RFC 6749 10.12).
 *
 * One cookie per pending login, named after its state, so that logins started in several tabs
 * do not overwrite each other: `__Host-oidc-login-<id>` on https (Secure, Path=/, no Domain:
 * the `__Host-` prefix keeps a sibling subdomain from planting one), `oidc-login-<id>` on plain
 * http (a loopback RP in development). Always HttpOnly; SameSite=Lax, so that it comes back on
 * the OP's top-level redirect; for `response_mode=form_post` on https, SameSite=None, since a
 * browser sends no Lax cookie with the OP's cross-site form post.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/** How a login cookie is set. */
export interface LoginCookieOptions {
  /** Whether the RP is served over https (`Secure`, and the `__Host-` prefix). */
  secure: boolean;
  /** Seconds the cookie lives: the pending-login lifetime. */
  maxAge: number;
  /** Whether the response will come as a cross-site form post (`response_mode=form_post`). */
  formPost?: boolean;
}

/** The name of the login cookie of `state`. */
export function loginCookieName(state: string, secure: boolean): string {
  const id = createHash('sha256').update(state, 'utf8').digest('base64url').slice(0, 22);
  return `${secure ? '__Host-' : ''}oidc-login-${id}`;
}

/** The `Set-Cookie` value that gives the browser the login cookie of `state`. */
export function setLoginCookie(state: string, binding: string, options: LoginCookieOptions): string {
  const sameSite = options.formPost && options.secure ? 'None' : 'Lax';
  return [`${loginCookieName(state, options.secure)}=${binding}`, 'Path=/', `Max-Age=${Math.max(1, Math.floor(options.maxAge))}`, 'HttpOnly', `SameSite=${sameSite}`, ...(options.secure ? ['Secure'] : [])].join('; ');
}

/** The `Set-Cookie` value that removes the login cookie of `state` (once its response came back). */
export function clearLoginCookie(state: string, secure: boolean): string {
  return [`${loginCookieName(state, secure)}=`, 'Path=/', 'Max-Age=0', 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
}

/**
 * The value of the cookie `name` in a request's `Cookie` header, or `undefined`. A name sent
 * twice (a planted duplicate) counts as absent: which one is genuine cannot be told.
 */
export function requestCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  const values = header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${name}=`))
    .map((part) => part.slice(name.length + 1));
  return values.length === 1 && values[0] !== '' ? values[0] : undefined;
}

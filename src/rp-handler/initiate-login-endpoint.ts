import { checkHttps } from '../checks/check-https.js';
import { sameIssuer } from '../checks/check-issuer.js';
import { OidcError, VerificationError } from '../errors.js';
import type { RelyingParty } from '../relying-party.js';
import { serviceRequest } from '../service-request.js';
import type { RpEvent } from './events.js';
import { startBrowserLogin } from './login-endpoint.js';
import { failure } from './responses.js';

/** The longest `target_link_uri` the RP keeps. */
export const MAX_TARGET_LINK_URI = 2048;
/** The longest `login_hint` the RP passes on. */
const MAX_LOGIN_HINT = 256;

/**
 * The issuer a login initiation may name: the OP the RP is bound to (configured, or discovered),
 * or, for an RP bound to none, one of `third_party_login_issuers`.
 * @throws {VerificationError} `checkInitiateLogin`.
 */
function checkInitiatingIssuer(rp: RelyingParty, iss: string): void {
  const context = rp.context;
  checkHttps(iss, context.allow.http_links === true, 'issuer', 'checkInitiateLogin');
  const bound = context.providerInfo?.issuer ?? context.issuer;
  if (bound !== undefined) {
    if (!sameIssuer(bound, iss)) throw new VerificationError('checkInitiateLogin', `the login initiation names the issuer ${iss}, not the OP this RP uses`, { detail: { actual: iss } });
    return;
  }
  if (!context.thirdPartyLoginIssuers.some((allowed) => sameIssuer(allowed, iss))) {
    throw new VerificationError('checkInitiateLogin', `the login initiation names the issuer ${iss}, which is not one this RP is configured to log in with (third_party_login_issuers)`, { detail: { actual: iss } });
  }
}

/**
 * A `target_link_uri` must be a URL of the RP's own origin, of bounded length: the RP must not
 * become an open redirector (OpenID Connect Core 4).
 * @throws {VerificationError} `checkTargetLinkUri`.
 */
function checkTargetLinkUri(rp: RelyingParty, target: string): void {
  if (target.length > MAX_TARGET_LINK_URI) throw new VerificationError('checkTargetLinkUri', `the target_link_uri is ${target.length} characters long, over ${MAX_TARGET_LINK_URI}`);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new VerificationError('checkTargetLinkUri', 'the target_link_uri is not an absolute URL');
  }
  if (url.origin !== new URL(rp.context.baseUrl).origin) {
    throw new VerificationError('checkTargetLinkUri', `the target_link_uri leads to ${url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : `a ${url.protocol} URL`}, not to this RP`);
  }
}

/**
 * Third-party-initiated login (OpenID Connect Core 4): the OP (or another party) sends the user
 * to the RP's `initiate_login_uri` with `iss`; the RP starts an authorization at that issuer,
 * passing `login_hint` on, with the login cookie of every login. The issuer must be the OP the
 * RP is bound to, or, for an RP bound to none, one of `third_party_login_issuers`: an anonymous
 * request cannot make the RP fetch, or bind itself to, an issuer of its choosing. An RP that does
 * not know its OP yet discovers it (and registers) first, and is bound to it only once discovery
 * succeeded.
 */
export async function initiateLoginEndpoint(rp: RelyingParty, request: Request, emit: (event: RpEvent) => void): Promise<Response> {
  const params = request.method === 'POST' ? new URLSearchParams(await request.text()) : new URL(request.url).searchParams;
  const iss = params.get('iss') ?? '';
  try {
    if (!iss) throw new VerificationError('checkInitiateLogin', 'the login initiation has no iss');
    checkInitiatingIssuer(rp, iss);
    const targetLinkUri = params.get('target_link_uri');
    if (targetLinkUri !== null) checkTargetLinkUri(rp, targetLinkUri);
    const context = rp.context;
    // The issuer is passed to discovery, not set on the context: only a discovery that succeeded binds it.
    if (!context.providerInfo) await serviceRequest(rp.services.provider_info, rp.transport, { issuer: iss });
    if (!context.clientId) await rp.register();
    const loginHint = params.get('login_hint');
    const { response, state } = await startBrowserLogin(rp, { ...(loginHint && loginHint.length <= MAX_LOGIN_HINT ? { login_hint: loginHint } : {}) });
    if (targetLinkUri !== null) await context.stateDb.storeItem({ target_link_uri: targetLinkUri }, 'login_initiation', state);
    emit({ type: 'initiate-login', iss, state });
    return response;
  } catch (error) {
    if (error instanceof OidcError) emit({ type: 'initiate-login', iss, error });
    return failure(error);
  }
}

import { checkHttps } from '../checks/check-https.js';
import { sameIssuer } from '../checks/check-issuer.js';
import { OidcError, VerificationError } from '../errors.js';
import type { RelyingParty } from '../relying-party.js';
import type { RpEvent } from './events.js';
import { failure, redirect } from './responses.js';

/**
 * Third-party-initiated login (OpenID Connect Core 4): the OP (or another party) sends the user
 * to the RP's `initiate_login_uri` with `iss`; the RP starts an authorization at that issuer,
 * passing `login_hint` on. An RP that knows no OP yet discovers (and registers with) the issuer;
 * an RP bound to another OP refuses.
 */
export async function initiateLoginEndpoint(rp: RelyingParty, request: Request, emit: (event: RpEvent) => void): Promise<Response> {
  const params = request.method === 'POST' ? new URLSearchParams(await request.text()) : new URL(request.url).searchParams;
  const iss = params.get('iss') ?? '';
  try {
    if (!iss) throw new VerificationError('checkInitiateLogin', 'the login initiation has no iss');
    checkHttps(iss, rp.context.allow.http_links === true, 'issuer', 'checkInitiateLogin');
    const context = rp.context;
    if (context.issuer && !sameIssuer(context.issuer, iss)) {
      throw new VerificationError('checkInitiateLogin', `the login initiation names the issuer ${iss}, not the OP this RP uses`, { detail: { actual: iss } });
    }
    if (!context.providerInfo) {
      context.issuer = iss;
      await rp.discover();
    }
    if (!context.clientId) await rp.register();
    const loginHint = params.get('login_hint');
    const targetLinkUri = params.get('target_link_uri');
    const { url, state } = await rp.beginLogin({ ...(loginHint ? { login_hint: loginHint } : {}) });
    if (targetLinkUri) await context.stateDb.storeItem({ target_link_uri: targetLinkUri }, 'login_initiation', state);
    emit({ type: 'initiate-login', iss, state });
    return redirect(url);
  } catch (error) {
    if (error instanceof OidcError) emit({ type: 'initiate-login', iss, error });
    return failure(error);
  }
}

import { checkAudience } from '../checks/check-audience.js';
import { checkIssuer } from '../checks/check-issuer.js';
import { resolveAggregatedClaims } from '../claims/claim-sources.js';
import { checkUserInfoSubject } from '../checks/check-userinfo-subject.js';
import { applyBearer, type BearerPlacement } from '../client-auth/bearer.js';
import { ResponseError, VerificationError, missingStateError } from '../errors.js';
import { decryptJwe } from '../jose/decrypt-jwe.js';
import { isCompactJwe } from '../jose/jwt-parts.js';
import { verifyJws } from '../jose/verify-jws.js';
import { registeredEncryption } from '../id-token/verify-id-token.js';
import type { JsonObject } from '../messages.js';
import type { RequestParameters } from '../transport/http.js';
import { parseJsonObject, Service, type ResponseFormat, type StateOptions } from './service.js';
import { currentAccessToken, sessionIdToken } from './session-tokens.js';

/** Arguments of the userinfo request. */
export interface UserInfoArgs {
  /** The session whose access token is used. Required. */
  state: string;
  /** GET (default) or POST. `bearer_body` implies POST. */
  method?: 'GET' | 'POST';
  /** Where the access token goes; default the service's `default_authn_method`, else `bearer_header`. */
  token_placement?: BearerPlacement;
}

/**
 * The userinfo request (OpenID Connect Core 5.3): the session's access token as a Bearer token;
 * the answer is JSON, or a JWT (signed, encrypted, or both) when the client registered
 * `userinfo_signed_response_alg` / `userinfo_encrypted_response_alg`. Its `sub` must be the ID token's.
 */
export class UserInfo extends Service<UserInfoArgs, JsonObject> {
  readonly serviceName = 'userinfo' as const;
  protected readonly what = 'userinfo response';
  protected override readonly formats: Readonly<Record<string, ResponseFormat>> = {
    'application/json': 'json',
    'application/jwt': 'jwt',
  };

  /**
   * @throws {VerificationError} `checkState` for an unknown session.
   * @throws {ResponseError} `sessionAccessToken` when the session has no access token.
   */
  async getRequestParameters(args?: UserInfoArgs): Promise<RequestParameters> {
    if (typeof args?.state !== 'string' || args.state === '') throw missingStateError('the userinfo request', args?.state);
    const accessToken = await currentAccessToken(this.context.stateDb, args.state);
    if (!accessToken) throw new ResponseError('sessionAccessToken', 'the session has no access token');
    const configured = this.config.default_authn_method;
    const placement = args.token_placement ?? (configured === 'bearer_body' ? 'bearer_body' : 'bearer_header');
    const method = placement === 'bearer_body' ? 'POST' : (args.method ?? 'GET');
    const body = new URLSearchParams();
    const headers: Record<string, string> = { Accept: 'application/json, application/jwt' };
    applyBearer(placement, { body, headers }, accessToken);
    const url = this.context.endpoint('userinfo_endpoint');
    if (method === 'GET') return { method, url, headers };
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    return { method, url, body: body.toString(), headers };
  }

  /**
   * Aggregated claims are verified and merged; distributed sources stay in `_claim_sources` for the
   * `distributed_claims` service.
   * @throws {VerificationError} `checkUserInfoSubject`; `checkClaimSource`; for a JWT answer, the JWS checks, and
   *   `checkIssuer` / `checkAudience` when it names an issuer or audience; `checkUserInfoFormat`
   *   when the client registered a signed or encrypted response and got plain JSON.
   */
  protected async verify(message: JsonObject, options: StateOptions & { format: ResponseFormat | 'object' }): Promise<JsonObject> {
    const behaviour = this.context.behaviour;
    const encryption = registeredEncryption(behaviour.userinfo_encrypted_response_alg, behaviour.userinfo_encrypted_response_enc);
    let claims = message;
    if (options.format === 'jwt') {
      if (typeof message['jwt'] !== 'string') throw new ResponseError('checkJwtFormat', 'the userinfo response is not a JWT');
      claims = await this.#fromJwt(message['jwt']);
    } else if (encryption.alg !== undefined) {
      throw new VerificationError('checkEncrypted', `the userinfo response is plain JSON, though the client registered userinfo_encrypted_response_alg ${encryption.alg}`);
    } else if (typeof behaviour.userinfo_signed_response_alg === 'string') {
      throw new VerificationError('checkUserInfoFormat', 'the client registered a signed userinfo response but got plain JSON');
    }
    const idToken = options.state ? (await sessionIdToken(this.context.stateDb, options.state)).claims : undefined;
    checkUserInfoSubject(claims, typeof idToken?.['sub'] === 'string' ? idToken['sub'] : undefined);
    return (await resolveAggregatedClaims(claims, this.context)).claims;
  }

  /** Stores the claims in the session as `user_info`. */
  override async updateServiceContext(response: JsonObject, options: StateOptions = {}): Promise<void> {
    if (typeof options.state !== 'string' || options.state === '') throw missingStateError('storing userinfo', options.state);
    await this.context.stateDb.storeItem(response, 'user_info', options.state);
  }

  async #fromJwt(token: string): Promise<JsonObject> {
    const context = this.context;
    const behaviour = context.behaviour;
    let jws = token;
    const encryption = registeredEncryption(behaviour.userinfo_encrypted_response_alg, behaviour.userinfo_encrypted_response_enc);
    if (isCompactJwe(token)) {
      jws = await decryptJwe(token, {
        keyJar: context.keyJar,
        clientSecret: context.clientSecret,
        expectedAlg: encryption.alg,
        expectedEnc: encryption.enc,
        what: 'userinfo response',
      });
      // An encrypted-only response carries JSON, not a JWS: acceptable only when no signature was registered.
      if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(jws.trim())) {
        if (typeof behaviour.userinfo_signed_response_alg === 'string') {
          throw new VerificationError('checkUserInfoFormat', 'the client registered a signed userinfo response but got one that is only encrypted');
        }
        return parseJsonObject(jws, 'decrypted userinfo response');
      }
    } else if (encryption.alg !== undefined) {
      throw new VerificationError('checkEncrypted', `the userinfo response is only signed, though the client registered userinfo_encrypted_response_alg ${encryption.alg}`);
    }
    const registered = behaviour.userinfo_signed_response_alg;
    const allowed = typeof registered === 'string' ? [registered] : ['RS256', ...(context.providerInfo?.['userinfo_signing_alg_values_supported'] as string[] | undefined ?? []).filter((a) => a !== 'none')];
    const issuer = context.requireIssuer();
    const { payload } = await verifyJws(jws.trim(), {
      issuer,
      keyJar: context.keyJar,
      allowedAlgs: allowed,
      clientSecret: context.clientSecret,
      allowNone: registered === 'none',
      allowMissingKid: context.allow.missing_kid === true,
      what: 'userinfo response',
    });
    if (payload['iss'] !== undefined) checkIssuer(payload, issuer, context.allow.issuer_mismatch === true, 'userinfo response');
    if (payload['aud'] !== undefined) checkAudience(payload, context.requireClientId(), context.trustedAudiences, 'userinfo response');
    return payload;
  }
}

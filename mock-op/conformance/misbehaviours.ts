/**
 * The building blocks of the conformance OP's misbehaviours. Each returns a small
 * `Partial<OpBehaviour>` (or a factory of one) that changes one thing at one hook of the
 * well-behaved OP; the catalogue composes them with {@link combine}.
 *
 * @module
 */
import type { JSONWebKeySet, JWK } from 'jose';
import type {
  AuthorizationRequestInfo,
  HookContext,
  JsonObject,
  JwtHeader,
  JwtHookContext,
  LogoutTokenContext,
  OpBehaviour,
} from '../behaviour.js';
import type { ResponseMode } from '../capabilities.js';
import { defaultGrantTypes } from '../client-metadata.js';
import { defaultJwtHeader } from '../jwt-signing.js';
import type { OpKey } from '../keys.js';
import { generateOpKey } from '../keys.js';
import type { BehaviourFactory, Provider } from '../provider.js';
import { oauthErrorResponse, mediaType } from '../responses.js';
import { parseClaimsRequest } from '../scope-claims.js';
import type { ConformanceBehaviour } from './conformance-test.js';
import { corruptSignature } from './tamper.js';

/** Which ID tokens a claim change applies to. */
export interface IdTokenFilter {
  /** Only ID tokens from this endpoint (default: both the authorization and token endpoints). */
  readonly endpoint?: 'authorization' | 'token';
  /** Only ID tokens of a token request with this grant type (e.g. `refresh_token`). */
  readonly grantType?: string;
}

function matches(ctx: JwtHookContext, filter: IdTokenFilter): boolean {
  if (ctx.purpose !== 'id_token') return false;
  if (filter.endpoint !== undefined && ctx.endpoint !== filter.endpoint) return false;
  if (filter.grantType !== undefined && ctx.grantType !== filter.grantType) return false;
  return true;
}

/**
 * Merges behaviours into one factory; a later part's hook replaces an earlier part's (parts are
 * meant to touch different hooks).
 */
export function combine(...parts: readonly ConformanceBehaviour[]): BehaviourFactory {
  return (op: Provider) => {
    const merged: Partial<Record<keyof OpBehaviour, unknown>> = {};
    for (const part of parts) Object.assign(merged, typeof part === 'function' ? part(op) : part);
    // Every member comes from a Partial<OpBehaviour>.
    return merged as Partial<OpBehaviour>;
  };
}

/**
 * Changes one ID token claim: `change` gets the current value (possibly `undefined`) and returns
 * the new one; returning `undefined` removes the claim. `onlyIfPresent` leaves tokens without it alone.
 */
export function idTokenClaim(
  name: string,
  change: (value: unknown) => unknown,
  filter: IdTokenFilter & { onlyIfPresent?: boolean } = {},
): Partial<OpBehaviour> {
  return {
    idTokenClaims: (claims: JsonObject, ctx: JwtHookContext) => {
      if (!matches(ctx, filter)) return claims;
      if (filter.onlyIfPresent === true && claims[name] === undefined) return claims;
      const copy = { ...claims };
      const value = change(copy[name]);
      if (value === undefined) delete copy[name];
      else copy[name] = value;
      return copy;
    },
  };
}

/** Removes an ID token claim. */
export function removeIdTokenClaim(name: string, filter: IdTokenFilter = {}): Partial<OpBehaviour> {
  return idTokenClaim(name, () => undefined, filter);
}

/** Changes the JOSE header of ID tokens. */
export function idTokenHeader(change: (header: JwtHeader, ctx: JwtHookContext) => JwtHeader | Promise<JwtHeader>): Partial<OpBehaviour> {
  return { jwtHeader: (header, ctx) => (ctx.purpose === 'id_token' ? change(header, ctx) : header) };
}

/** Removes `kid` from the header of ID tokens. */
export function withoutKid(): Partial<OpBehaviour> {
  return idTokenHeader(({ kid: _kid, ...rest }) => rest as JwtHeader);
}

/** Signs ID tokens with `alg` whatever the client registered (the well-behaved header of that alg). */
export function signIdTokensWith(alg: string): Partial<OpBehaviour> {
  return idTokenHeader((_header, ctx) => defaultJwtHeader(alg, ctx.op.keys));
}

/** Corrupts the signature of every ID token (see `corruptSignature`). */
export function corruptIdTokenSignature(): Partial<OpBehaviour> {
  return { jwt: (token, ctx) => (ctx.purpose === 'id_token' ? corruptSignature(token) : token) };
}

/**
 * Registers every client (dynamic or static) with these metadata values whatever it asked for;
 * `undefined` removes a member. The registration response echoes the forced values.
 */
export function forceClientMetadata(values: Readonly<Record<string, unknown>>): Partial<OpBehaviour> {
  return {
    clientMetadata: (metadata: JsonObject) => {
      const copy = { ...metadata };
      for (const [name, value] of Object.entries(values)) {
        if (value === undefined) delete copy[name];
        else copy[name] = value;
      }
      return copy;
    },
  };
}

/** Registers every client for the `refresh_token` grant besides the grants it asked for (or derives). */
export function forceRefreshTokenGrant(): Partial<OpBehaviour> {
  return {
    clientMetadata: (metadata: JsonObject) => {
      const responseTypes = Array.isArray(metadata.response_types) ? (metadata.response_types as string[]) : ['code'];
      const grants = Array.isArray(metadata.grant_types) ? (metadata.grant_types as string[]) : defaultGrantTypes(responseTypes);
      return { ...metadata, grant_types: [...new Set([...grants, 'refresh_token'])] };
    },
  };
}

/** Changes one UserInfo claim (`undefined` removes it). */
export function userinfoClaim(name: string, change: (value: unknown) => unknown): Partial<OpBehaviour> {
  return {
    userinfoClaims: (claims: JsonObject) => {
      const copy = { ...claims };
      const value = change(copy[name]);
      if (value === undefined) delete copy[name];
      else copy[name] = value;
      return copy;
    },
  };
}

/** Adds members to UserInfo responses, computed per response (e.g. claim sources). */
export function extendUserinfo(extra: (claims: JsonObject, ctx: HookContext) => JsonObject | Promise<JsonObject>): Partial<OpBehaviour> {
  return { userinfoClaims: (claims, ctx) => extra(claims, ctx) };
}

/** Changes one member of the discovery document. */
export function discoveryMember(name: string, change: (value: unknown) => unknown): Partial<OpBehaviour> {
  return { discovery: (doc: JsonObject) => ({ ...doc, [name]: change(doc[name]) }) };
}

/** Changes the WebFinger JRD. */
export function webfingerJrd(change: (jrd: JsonObject) => JsonObject): Partial<OpBehaviour> {
  return { webfinger: (jrd: JsonObject) => change(jrd) };
}

/** Changes the published JWKS (async: it may need a key). */
export function jwksChange(change: (jwks: JSONWebKeySet, op: Provider) => JSONWebKeySet | Promise<JSONWebKeySet>): Partial<OpBehaviour> {
  return { jwks: (jwks, ctx) => change(jwks, ctx.op) };
}

/** A JWK without its `kid`. */
export function withoutKidMember(jwk: JWK): JWK {
  const { kid: _kid, ...rest } = jwk;
  return rest;
}

/**
 * Publishes several RS256 keys, none with a `kid`: a decoy (a spare key the OP does not sign with,
 * or a new one) first, then the real one, then the OP's other keys.
 */
export function multipleKeysWithoutKid(): BehaviourFactory {
  return (op) => {
    let decoy: OpKey | undefined = op.keys.spares?.rs256.find((k) => k.kid !== op.keys.rs256.kid);
    return jwksChange(async (jwks) => {
      decoy ??= await generateOpKey('RS256');
      return { keys: [decoy.publicJwk, ...jwks.keys].map(withoutKidMember) };
    });
  };
}

/** Publishes only the RS256 signing key, without `kid`. */
export function singleKeyWithoutKid(): Partial<OpBehaviour> {
  return jwksChange((_jwks, op) => ({ keys: [withoutKidMember(op.keys.rs256.publicJwk)] }));
}

/**
 * Refuses authorization requests that do not satisfy `accept` with `invalid_request` and
 * `description` (sent back to the redirect URI).
 */
export function requireAuthorizationRequest(
  accept: (request: AuthorizationRequestInfo) => boolean,
  description: string,
): Partial<OpBehaviour> {
  return {
    authorizationRequest: (request) => (accept(request) ? undefined : { error: 'invalid_request', error_description: description }),
  };
}

/** Whether the effective `claims` parameter has the `member` (`id_token` or `userinfo`) object. */
export function hasClaimsMember(request: AuthorizationRequestInfo, member: 'id_token' | 'userinfo'): boolean {
  try {
    return parseClaimsRequest(request.params.get('claims'))?.[member] !== undefined;
  } catch {
    return false;
  }
}

/** Delivers every authorization response (and error) with this response mode. */
export function forceResponseMode(mode: ResponseMode): Partial<OpBehaviour> {
  return { responseMode: () => mode };
}

/** Answers `login_required` to every `prompt=none` authorization request. */
export function loginRequiredForPromptNone(): Partial<OpBehaviour> {
  return {
    authorizationRequest: (request) =>
      (request.params.get('prompt') ?? '').split(' ').includes('none')
        ? { error: 'login_required', error_description: 'the end user is not logged in' }
        : undefined,
  };
}

/**
 * Accepts the access token at the UserInfo endpoint only in the `Authorization: Bearer` header
 * (`header`) or only as `access_token` in a form-encoded POST body (`body`); other requests get a
 * 401 `invalid_request` naming the method to use.
 */
export function userinfoTokenOnlyIn(where: 'header' | 'body'): Partial<OpBehaviour> {
  return {
    intercept: async (ctx) => {
      if (ctx.endpoint !== 'userinfo') return undefined;
      const request = ctx.request;
      const inHeader = /^Bearer\s/i.test(request.headers.get('authorization') ?? '');
      let inBody = false;
      if (request.method === 'POST' && mediaType(request.headers) === 'application/x-www-form-urlencoded') {
        inBody = new URLSearchParams(await request.clone().text()).has('access_token');
      }
      const ok = where === 'header' ? inHeader && !inBody : inBody && !inHeader;
      if (ok) return undefined;
      const description =
        where === 'header'
          ? 'this OP accepts the access token only in the Authorization: Bearer header'
          : 'this OP accepts the access token only as access_token in a form-encoded POST body';
      return oauthErrorResponse(401, 'invalid_request', description, {
        'WWW-Authenticate': `Bearer realm="${ctx.op.issuer}", error="invalid_request"`,
      });
    },
  };
}

/** Changes one claim of back-channel logout tokens (`undefined` removes it). */
export function logoutTokenClaim(name: string, change: (value: unknown) => unknown): Partial<OpBehaviour> {
  return {
    logoutTokenClaims: (claims: JsonObject) => {
      const copy = { ...claims };
      const value = change(copy[name]);
      if (value === undefined) delete copy[name];
      else copy[name] = value;
      return copy;
    },
  };
}

/** Changes the header of back-channel logout tokens. */
export function logoutTokenHeader(change: (header: JwtHeader, ctx: LogoutTokenContext) => JwtHeader): Partial<OpBehaviour> {
  return { logoutTokenHeader: (header, ctx) => change(header, ctx) };
}

/** Changes the `state` of the post-logout redirect (`undefined` drops it). */
export function postLogoutState(change: (state: string | undefined) => string | undefined): Partial<OpBehaviour> {
  return { postLogoutState: (state) => change(state) };
}

/** Moves the JWKS to a new random path under the issuer (a new `jwks_uri` per OP instance). */
export function randomJwksPath(): BehaviourFactory {
  return (op) => {
    op.endpointPaths.jwks = `/jwks/${Math.random().toString(36).slice(2, 12)}${Date.now().toString(36)}`;
    return {};
  };
}

/**
 * Rotates the RS256 signing key right before the first ID token is signed, so that token already
 * carries a `kid` that was not in the JWKS before.
 */
export function rotateSigningKeyBeforeFirstIdToken(): BehaviourFactory {
  return () => {
    let rotated = false;
    return idTokenHeader(async (header, ctx) => {
      if (rotated) return header;
      rotated = true;
      await ctx.op.rotateSigningKey();
      return header.alg === 'RS256' ? { ...header, kid: ctx.op.keys.rs256.kid } : header;
    });
  };
}

/**
 * Rotates the RS256 signing key once the first ID token has been delivered: just before the second
 * ID token is signed. The RP has verified the first with the old key by then, so the second one's
 * new `kid` is unknown to it and it must fetch the JWKS again.
 */
export function rotateSigningKeyAfterFirstIdToken(): BehaviourFactory {
  return () => {
    let signed = 0;
    return idTokenHeader(async (header, ctx) => {
      signed += 1;
      if (signed !== 2) return header;
      await ctx.op.rotateSigningKey();
      return header.alg === 'RS256' ? { ...header, kid: ctx.op.keys.rs256.kid } : header;
    });
  };
}

/**
 * Requires encrypted request objects and rotates the OP's encryption key after the first one, so
 * the next request must be encrypted to the new key (one encrypted to the old key is refused). Its
 * JWKS says `Cache-Control: no-cache`, so a client that honours HTTP caching fetches it again.
 */
export function rotateEncryptionKeyAfterFirstEncryptedRequest(): BehaviourFactory {
  return () => {
    let rotated = false;
    return {
      authorizationRequest: async (request, ctx) => {
        if (request.requestObject?.encrypted !== true) {
          return { error: 'invalid_request', error_description: 'this test expects a request object encrypted to the OP key' };
        }
        if (!rotated) {
          rotated = true;
          await ctx.op.rotateEncryptionKey();
        }
        return undefined;
      },
      // An OP that rotates its keys tells clients not to keep them: Cache-Control: no-cache.
      response: (response, ctx) => {
        if (ctx.endpoint !== 'jwks') return response;
        const headers = new Headers(response.headers);
        headers.set('Cache-Control', 'no-cache');
        return new Response(response.body, { status: response.status, headers });
      },
    };
  };
}

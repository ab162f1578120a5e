/**
 * Issuing ID tokens (OIDC Core 2, 3.1.3.6, 3.2.2.10, 3.3.2.11).
 *
 * @module
 */
import type { HookContext, JsonObject } from './behaviour.js';
import { ACR, LIFETIMES } from './capabilities.js';
import type { Client } from './client-metadata.js';
import { signAndEncryptIdToken } from './jwt-signing.js';
import type { ClaimsRequest } from './scope-claims.js';
import { releasedClaims } from './scope-claims.js';
import { leftHalfHash } from './token-hash.js';
import type { User } from './users.js';
import { subjectFor } from './users.js';

/** What an ID token is issued for. */
export interface IdTokenInput {
  readonly client: Client;
  readonly user: User;
  /** When the user authenticated (seconds). Always put in `auth_time`. */
  readonly authTime: number;
  readonly scope: string;
  readonly nonce?: string;
  readonly claims?: ClaimsRequest;
  /** The access token issued with it: adds `at_hash`. */
  readonly accessToken?: string;
  /** The code issued with it: adds `c_hash`. */
  readonly code?: string;
  /** The OP session it is issued in: adds `sid`. */
  readonly sid?: string;
  /** The `acr` to report (default: the OP's default ACR). */
  readonly acr?: string;
  /**
   * Whether the scope's claims go in the ID token: true when the response issues no access token
   * (response type `id_token`, OIDC Core 5.4).
   */
  readonly includeScopeClaims: boolean;
}

/**
 * The well-behaved claims of an ID token: iss, sub, aud (the client id), exp (iat + 3600), iat,
 * auth_time, acr, sid (the OP session, if any), nonce (if any), at_hash / c_hash (if a token / code comes with it), the scope's
 * claims when `includeScopeClaims`, and the claims named in `claims.id_token`.
 */
export function idTokenClaims(input: IdTokenInput, issuer: string, now: number): JsonObject {
  const userClaims = releasedClaims(input.user, input.includeScopeClaims ? input.scope : '', input.claims?.id_token);
  const alg = input.client.id_token_signed_response_alg;
  const claims: JsonObject = {
    ...userClaims,
    iss: issuer,
    sub: subjectFor(input.user),
    aud: input.client.client_id,
    exp: now + LIFETIMES.idToken,
    iat: now,
    auth_time: input.authTime,
    acr: input.acr ?? ACR,
  };
  if (input.sid !== undefined) claims.sid = input.sid;
  if (input.nonce !== undefined) claims.nonce = input.nonce;
  if (input.accessToken !== undefined) claims.at_hash = leftHalfHash(input.accessToken, alg);
  if (input.code !== undefined) claims.c_hash = leftHalfHash(input.code, alg);
  return claims;
}

/**
 * Issues an ID token signed with the client's `id_token_signed_response_alg` through the
 * `idTokenClaims`, `jwtHeader` and `jwt` hooks, then encrypted when the client registered
 * `id_token_encrypted_response_alg`. The token is remembered in `op.issuedIdTokens` so that it is
 * accepted as an `id_token_hint` even after a key rotation or when encrypted.
 */
export async function issueIdToken(input: IdTokenInput, context: HookContext): Promise<string> {
  const { op } = context;
  const ctx = { ...context, client: input.client, purpose: 'id_token' as const };
  const claims = await op.behaviour.idTokenClaims(idTokenClaims(input, op.issuer, op.now()), ctx);
  const token = await signAndEncryptIdToken(claims, ctx);
  op.issuedIdTokens.set(token, input.client.client_id);
  return token;
}

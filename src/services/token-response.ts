import { ResponseError } from '../errors.js';
import type { JsonObject } from '../messages.js';

/** A verified token endpoint response (RFC 6749 5.1, OpenID Connect Core 3.1.3.3). */
export interface TokenResponse extends JsonObject {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  id_token?: string;
  /** The ID token's claims, once verified. */
  verified_id_token?: JsonObject;
}

/**
 * Checks the members of a successful token response: `access_token` and `token_type` strings,
 * `expires_in` a number (a numeric string is read as one, as many OPs send it), `refresh_token`,
 * `scope` and `id_token` strings when present.
 * @throws {ResponseError} `checkTokenResponse` naming the member.
 */
export function checkTokenResponse(message: JsonObject): TokenResponse {
  for (const name of ['access_token', 'token_type'] as const) {
    if (typeof message[name] !== 'string' || (message[name] as string).length === 0) {
      throw new ResponseError('checkTokenResponse', `the token response has no ${name}`, { detail: { member: name } });
    }
  }
  for (const name of ['refresh_token', 'scope', 'id_token'] as const) {
    if (message[name] !== undefined && typeof message[name] !== 'string') {
      throw new ResponseError('checkTokenResponse', `the token response's ${name} is not a string`, { detail: { member: name } });
    }
  }
  const response = { ...message } as TokenResponse;
  const expiresIn = message['expires_in'];
  if (expiresIn !== undefined) {
    if (typeof expiresIn === 'string' && /^\d+$/.test(expiresIn)) response.expires_in = Number(expiresIn);
    else if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn < 0) {
      throw new ResponseError('checkTokenResponse', 'the token response\'s expires_in is not a number of seconds', { detail: { member: 'expires_in' } });
    }
  }
  return response;
}

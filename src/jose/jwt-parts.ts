import { base64url } from 'jose';
import { ResponseError, type CheckName } from '../errors.js';
import type { JsonObject } from '../messages.js';

/** The decoded, unverified parts of a compact JWS. */
export interface JwsParts {
  header: JsonObject & { alg?: unknown; kid?: unknown; typ?: unknown; crit?: unknown };
  payload: JsonObject;
  signature: string;
}

/** True when `token` has the five parts of a compact JWE. */
export function isCompactJwe(token: string): boolean {
  return token.split('.').length === 5;
}

/**
 * One strict UTF-8 decoder for every token part: a decoder is costly to make (it was most of the
 * time spent decoding a token), and `decode` without `stream` keeps no state between calls.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeJson(part: string, what: string, check: CheckName): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(base64url.decode(part)));
  } catch (cause) {
    throw new ResponseError(check, `the ${what} of the token is not base64url-encoded JSON`, { cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ResponseError(check, `the ${what} of the token is not a JSON object`);
  }
  return value as JsonObject;
}

/**
 * Splits a compact JWS and decodes its header and payload without verifying anything.
 * @throws {ResponseError} `check` (default `checkJwtFormat`) when it is not a compact JWS with a JSON payload.
 */
export function decodeJws(token: string, check: CheckName = 'checkJwtFormat'): JwsParts {
  if (typeof token !== 'string' || token.length === 0) {
    throw new ResponseError(check, 'the token is missing or not a string');
  }
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p, i) => (i === 2 ? /^[A-Za-z0-9_-]*$/ : /^[A-Za-z0-9_-]+$/).test(p))) {
    throw new ResponseError(check, 'the token is not a compact JWS (three base64url parts)');
  }
  const [header, payload, signature] = parts as [string, string, string];
  return { header: decodeJson(header, 'header', check), payload: decodeJson(payload, 'payload', check), signature };
}

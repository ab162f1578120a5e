import { compactVerify, type CryptoKey } from 'jose';
import { ResponseError, VerificationError } from '../errors.js';
import type { KeyJar } from '../key-jar.js';
import type { JsonObject } from '../messages.js';
import { decodeJws, type JwsParts } from './jwt-parts.js';

/** What {@link verifyJws} needs to know. */
export interface VerifyJwsOptions {
  /** The issuer whose keys verify the signature. */
  issuer: string;
  /** The key jar holding (or fetching) that issuer's keys. */
  keyJar: KeyJar;
  /** The algorithms acceptable here. `none` is refused unless listed and `allowNone` is true. */
  allowedAlgs: readonly string[];
  /** The client secret, for HS256/384/512. */
  clientSecret?: string | undefined;
  /** Whether an unsigned (`alg: none`) token may be accepted at all. Default false. */
  allowNone?: boolean;
  /** Whether several keys may be tried when the header names no `kid` (`allow.missing_kid`). */
  allowMissingKid?: boolean;
  /** A word for messages: "ID token", "userinfo response", ... */
  what?: string;
}

/** A verified JWS: its header and payload. */
export interface VerifiedJws {
  header: JwsParts['header'];
  payload: JsonObject;
  alg: string;
}

/** Header parameters this verifier refuses to act on (RFC 7515 4.1.11: unknown `crit` must be rejected). */
const UNSUPPORTED_CRITICAL = new Set<string>();

/**
 * Checks the JWS header: an `alg` that is a string, allowed here, and no `crit` the verifier does
 * not understand. Keys named by URL or embedded in the header (`jku`, `x5u`, `jwk`, `x5c`) are
 * never trusted: only the key jar's keys verify.
 * @throws {VerificationError} `checkAlgorithm` or `checkCritical`.
 */
export function checkAlgorithm(header: JwsParts['header'], allowedAlgs: readonly string[], allowNone: boolean, what: string): string {
  const alg = header.alg;
  if (typeof alg !== 'string') {
    throw new VerificationError('checkAlgorithm', `the ${what} header has no alg`);
  }
  if (alg === 'none' ? !(allowNone && allowedAlgs.includes('none')) : !allowedAlgs.includes(alg)) {
    throw new VerificationError('checkAlgorithm', `the ${what} is signed with ${alg}, expected ${allowedAlgs.join(' or ') || 'nothing'}`, {
      detail: { alg, allowed: [...allowedAlgs] },
    });
  }
  if (header.crit !== undefined) {
    const crit = header.crit;
    if (!Array.isArray(crit) || crit.length === 0 || crit.some((c) => typeof c !== 'string' || !UNSUPPORTED_CRITICAL.has(c) || !(c in header))) {
      throw new VerificationError('checkCritical', `the ${what} header marks parameters as critical that this RP does not understand`);
    }
  }
  return alg;
}

/**
 * Verifies a compact JWS issued by `issuer`: the header's algorithm against the allowed ones, the
 * key chosen by `kid` from the key jar (or the client secret for HS*), and the signature.
 * @throws {ResponseError} `checkJwtFormat` for a token that does not parse.
 * @throws {VerificationError} `checkAlgorithm`, `checkCritical`, `selectKey` or `checkSignature`.
 */
export async function verifyJws(token: string, options: VerifyJwsOptions): Promise<VerifiedJws> {
  const what = options.what ?? 'token';
  const parts = decodeJws(token);
  const alg = checkAlgorithm(parts.header, options.allowedAlgs, options.allowNone ?? false, what);
  if (alg === 'none') {
    if (parts.signature !== '') throw new VerificationError('checkSignature', `the unsigned ${what} carries a signature`);
    return { header: parts.header, payload: parts.payload, alg };
  }
  const kid = typeof parts.header.kid === 'string' ? parts.header.kid : undefined;
  let keys: Array<CryptoKey | Uint8Array>;
  if (alg.startsWith('HS')) {
    if (!options.clientSecret) {
      throw new VerificationError('selectKey', `the ${what} is signed with ${alg} but the RP has no client secret`);
    }
    keys = [new TextEncoder().encode(options.clientSecret)];
  } else {
    keys = (await options.keyJar.verificationKeys(options.issuer, alg, kid, options.allowMissingKid)).map((k) => k.key);
  }
  for (const key of keys) {
    try {
      await compactVerify(token, key, { algorithms: [alg] });
      return { header: parts.header, payload: parts.payload, alg };
    } catch (cause) {
      if (key === keys[keys.length - 1]) {
        throw new VerificationError('checkSignature', `the ${what}'s ${alg} signature does not verify`, { cause, detail: { alg, kid } });
      }
    }
  }
  throw new ResponseError('checkSignature', `no key to verify the ${what}`);
}

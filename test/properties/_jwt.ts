/**
 * JWTs the way an honest OP, a broken OP and an attacker make them, with node:crypto so that any
 * header at all can be signed (jose refuses some of the hostile ones), and synchronously: HMAC
 * signing costs microseconds, so claims-level properties can sign a fresh token on every run.
 *
 * The forgery oracle: a token is genuine when its signing input (`header.payload`) is one that the
 * OP's key or the client secret really signed. A verifier may accept only genuine tokens.
 */
import { KeyObject, constants, createHash, createHmac, randomBytes, sign as cryptoSign, timingSafeEqual, verify as cryptoVerify } from 'node:crypto';
import { CompactEncrypt, base64url, type CryptoKey } from 'jose';
import type { KeyPairFixture } from '../fixtures/keys.js';
import { stringify } from './_arbitraries.js';

export const b64 = (bytes: string | Uint8Array): string => (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes)).toString('base64url');
export const b64json = (value: unknown): string => b64(stringify(value));

/** `header.payload`: what the signature covers. */
export function signingInput(token: string): string {
  const trimmed = token.trim();
  return trimmed.slice(0, trimmed.lastIndexOf('.'));
}

const HASH: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512', RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', PS256: 'sha256', ES256: 'sha256' };

/** An HMAC-signed JWS over any header and payload (the header's `alg` is taken as given). */
export function hmacJws(header: Record<string, unknown>, payload: unknown, secret: string | Uint8Array, alg = String(header['alg'] ?? 'HS256')): string {
  const input = `${b64json(header)}.${typeof payload === 'string' ? b64(payload) : b64json(payload)}`;
  const signature = createHmac(HASH[alg] ?? 'sha256', secret).update(input).digest();
  return `${input}.${b64(signature)}`;
}

/** A JWS signed with an asymmetric key (RS*, PS256, ES256) over any header and payload. */
export function keyJws(header: Record<string, unknown>, payload: unknown, key: KeyPairFixture, alg = String(header['alg'] ?? key.alg)): string {
  const input = `${b64json(header)}.${typeof payload === 'string' ? b64(payload) : b64json(payload)}`;
  const privateKey = KeyObject.from(key.privateKey);
  const options = alg.startsWith('PS')
    ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
    : alg.startsWith('ES')
      ? { key: privateKey, dsaEncoding: 'ieee-p1363' as const }
      : privateKey;
  const signature = cryptoSign(HASH[alg] ?? 'sha256', Buffer.from(input), options);
  return `${input}.${b64(signature)}`;
}

/**
 * An independent check of a signature with node:crypto (not jose, not the code under test): true
 * when `token`'s signature over its signing input verifies as `alg` with one of `keys` (public key
 * fixtures) or, for HS*, with `secret`.
 */
export function reallySigned(token: string, alg: string, keys: readonly KeyPairFixture[], secret?: string): boolean {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return false;
  const input = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2]!, 'base64url');
  const hash = HASH[alg];
  if (hash === undefined) return false;
  if (alg.startsWith('HS')) {
    if (secret === undefined) return false;
    const mac = createHmac(hash, secret).update(input).digest();
    return mac.length === signature.length && timingSafeEqual(mac, signature);
  }
  return keys.some((key) => {
    const publicKey = KeyObject.from(key.publicKey);
    const type = publicKey.asymmetricKeyType;
    if ((alg.startsWith('RS') || alg.startsWith('PS')) && type !== 'rsa') return false;
    if (alg.startsWith('ES') && type !== 'ec') return false;
    const options = alg.startsWith('PS')
      ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : alg.startsWith('ES') ? { key: publicKey, dsaEncoding: 'ieee-p1363' as const } : publicKey;
    try {
      return cryptoVerify(hash, input, options, signature);
    } catch {
      return false;
    }
  });
}

/** An unsecured JWT with the given spelling of `none`. */
export function noneJws(payload: unknown, alg = 'none', header: Record<string, unknown> = {}): string {
  return `${b64json({ alg, ...header })}.${b64json(payload)}.`;
}

/** A token with a labelled origin. */
export interface LabelledToken {
  label: string;
  token: string;
  /** Signed by the OP's key (or the client secret) over exactly this header and payload. */
  genuine: boolean;
}

/** What {@link tokenFamily} needs. */
export interface Signers {
  /** The OP's signing key (its public JWK is in the RP's key jar). */
  op: KeyPairFixture;
  /** An attacker's key, with the OP key's kid. */
  evil: KeyPairFixture;
  /** The client secret: HS* tokens signed with it are genuine. */
  clientSecret: string;
}

/**
 * A genuine RS256 token over `claims` and the classic forgeries of it: another key under the OP's
 * kid, keys offered in the header (`jwk`, `jku`, `x5u`, `x5c`), HMAC keyed with the OP's public key
 * (PEM text, JWK JSON, modulus), `alg: none` in four spellings, a changed `alg`, a swapped payload,
 * a stripped or tampered signature, and the OP's own signature over a header with `crit`.
 * OP-signed tokens carrying `jku`/`x5u`/`jwk` headers are genuine: the key jar's key signed them.
 */
export function tokenFamily(claims: Record<string, unknown>, signers: Signers, options: { hmac?: boolean } = {}): LabelledToken[] {
  const { op, evil, clientSecret } = signers;
  const kid = op.kid;
  const genuine = keyJws({ alg: 'RS256', kid }, claims, op);
  const [h, , s] = genuine.split('.') as [string, string, string];
  const evilJwk = { ...evil.publicJwk };
  const pemSecrets: Array<[string, string | Uint8Array]> = [
    ['PEM', op.publicPem],
    ['PEM without its last newline', op.publicPem.trimEnd()],
    ['JWK JSON', JSON.stringify(op.publicJwk)],
    ['JWK thumbprint JSON', JSON.stringify({ e: op.publicJwk['e'], kty: 'RSA', n: op.publicJwk['n'] })],
    ['modulus text', String(op.publicJwk['n'])],
    ['modulus bytes', base64url.decode(String(op.publicJwk['n']))],
    ['DER', KeyObject.from(op.publicKey).export({ type: 'spki', format: 'der' })],
  ];
  const out: LabelledToken[] = [
    { label: 'OP RS256 with kid', token: genuine, genuine: true },
    { label: 'OP RS256 without kid', token: keyJws({ alg: 'RS256' }, claims, op), genuine: true },
    { label: 'OP RS256 with jku, x5u and jwk headers', token: keyJws({ alg: 'RS256', kid, jku: 'https://evil.example/jwks', x5u: 'https://evil.example/cert.pem', jwk: evilJwk }, claims, op), genuine: true },
    { label: 'OP RS256 with typ JWT', token: keyJws({ alg: 'RS256', kid, typ: 'JWT' }, claims, op), genuine: true },
    { label: 'attacker key under the OP kid', token: keyJws({ alg: 'RS256', kid }, claims, evil), genuine: false },
    { label: 'attacker key without kid', token: keyJws({ alg: 'RS256' }, claims, evil), genuine: false },
    { label: 'attacker key embedded as jwk', token: keyJws({ alg: 'RS256', jwk: evilJwk }, claims, evil), genuine: false },
    { label: 'attacker key embedded as jwk under the OP kid', token: keyJws({ alg: 'RS256', kid, jwk: evilJwk }, claims, evil), genuine: false },
    { label: 'attacker key behind jku', token: keyJws({ alg: 'RS256', kid: 'evil-1', jku: 'https://evil.example/jwks' }, claims, evil), genuine: false },
    { label: 'attacker key behind jku under the OP kid', token: keyJws({ alg: 'RS256', kid, jku: 'https://evil.example/jwks' }, claims, evil), genuine: false },
    { label: 'attacker key behind x5u', token: keyJws({ alg: 'RS256', x5u: 'https://evil.example/cert.pem' }, claims, evil), genuine: false },
    { label: 'attacker key with an x5c chain', token: keyJws({ alg: 'RS256', kid, x5c: [randomBytes(300).toString('base64')] }, claims, evil), genuine: false },
    { label: 'attacker PS256', token: keyJws({ alg: 'PS256', kid }, claims, evil), genuine: false },
    ...pemSecrets.flatMap(([what, secret]): LabelledToken[] => [
      { label: `HS256 keyed with the OP public key (${what})`, token: hmacJws({ alg: 'HS256' }, claims, secret), genuine: false },
      { label: `HS256 keyed with the OP public key (${what}) under the OP kid`, token: hmacJws({ alg: 'HS256', kid }, claims, secret), genuine: false },
    ]),
    { label: 'HS384 keyed with the OP public PEM', token: hmacJws({ alg: 'HS384' }, claims, op.publicPem), genuine: false },
    { label: 'HS512 keyed with the OP public PEM', token: hmacJws({ alg: 'HS512', kid }, claims, op.publicPem), genuine: false },
    { label: 'HS256 keyed with a near-miss client secret', token: hmacJws({ alg: 'HS256' }, claims, `${clientSecret}x`), genuine: false },
    { label: 'HS256 keyed with an empty secret', token: hmacJws({ alg: 'HS256' }, claims, ''), genuine: false },
    { label: 'alg none', token: noneJws(claims), genuine: false },
    { label: 'alg None', token: noneJws(claims, 'None'), genuine: false },
    { label: 'alg NONE', token: noneJws(claims, 'NONE'), genuine: false },
    { label: 'alg nOnE', token: noneJws(claims, 'nOnE'), genuine: false },
    { label: 'alg none with the OP signature kept', token: `${b64json({ alg: 'none' })}.${genuine.split('.')[1]}.${s}`, genuine: false },
    { label: 'alg changed to PS256, signature kept', token: `${b64json({ alg: 'PS256', kid })}.${genuine.split('.')[1]}.${s}`, genuine: false },
    { label: 'alg changed to RS512, signature kept', token: `${b64json({ alg: 'RS512', kid })}.${genuine.split('.')[1]}.${s}`, genuine: false },
    { label: 'alg changed to HS256, signature kept', token: `${b64json({ alg: 'HS256', kid })}.${genuine.split('.')[1]}.${s}`, genuine: false },
    { label: 'payload swapped, signature kept', token: `${h}.${b64json({ ...claims, sub: 'someone-else' })}.${s}`, genuine: false },
    { label: 'signature stripped', token: `${h}.${genuine.split('.')[1]}.`, genuine: false },
    { label: 'signature of another token', token: `${h}.${genuine.split('.')[1]}.${keyJws({ alg: 'RS256', kid }, { other: true }, op).split('.')[2]}`, genuine: false },
    { label: 'OP-signed with crit exp', token: keyJws({ alg: 'RS256', kid, crit: ['exp'], exp: 1 }, claims, op), genuine: false },
    { label: 'OP-signed with crit b64', token: keyJws({ alg: 'RS256', kid, crit: ['b64'], b64: false }, claims, op), genuine: false },
    { label: 'OP-signed with an empty crit', token: keyJws({ alg: 'RS256', kid, crit: [] }, claims, op), genuine: false },
    { label: 'OP-signed with crit naming an absent parameter', token: keyJws({ alg: 'RS256', kid, crit: ['http://example.com/x'] }, claims, op), genuine: false },
  ];
  if (options.hmac !== false) {
    out.push({ label: 'HS256 with the client secret', token: hmacJws({ alg: 'HS256' }, claims, clientSecret), genuine: true });
    out.push({ label: 'HS256 with the client secret and crit', token: hmacJws({ alg: 'HS256', crit: ['exp'], exp: 1 }, claims, clientSecret), genuine: false });
  }
  return out;
}

/** Signing inputs of the genuine tokens, for the forgery oracle. */
export function genuineInputs(tokens: Iterable<LabelledToken>): Set<string> {
  const set = new Set<string>();
  for (const t of tokens) if (t.genuine) set.add(signingInput(t.token));
  return set;
}

/** The content encryption key of `dir` / the KEK of `A*KW` derived from a client secret (OpenID Connect Core 10.2). */
export function secretKey(secret: string, bits: number): Uint8Array {
  const digest = createHash(bits <= 256 ? 'sha256' : bits <= 384 ? 'sha384' : 'sha512').update(secret).digest();
  return new Uint8Array(digest.subarray(0, bits / 8));
}

/** Encrypts `plaintext` as a compact JWE to `key` (a public CryptoKey, or a symmetric key). */
export async function jwe(plaintext: string, alg: string, enc: string, key: CryptoKey | Uint8Array, header: Record<string, unknown> = {}): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(plaintext)).setProtectedHeader({ alg, enc, ...header }).encrypt(key);
}

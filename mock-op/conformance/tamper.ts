/**
 * How the conformance OP tampers with values, the way the current suite does, so that failures
 * read the same: `1` appended to `iss`, `aud`, `nonce` and the hashes (`at_hash`, `c_hash`),
 * `invalid` appended to `sub`, `INVALID` appended to the discovered issuer, and a corrupted
 * signature with bytes of the signature part flipped.
 *
 * @module
 */

/** `iss`, `aud`, `nonce`, `at_hash`, `c_hash`: the value with `1` appended (each member of an array `aud`). */
export function appendOne(value: unknown): string | string[] {
  if (Array.isArray(value)) return value.map((v) => `${String(v)}1`);
  return `${String(value ?? '')}1`;
}

/** `sub`: the value with `invalid` appended. */
export function appendInvalid(value: unknown): string {
  return `${String(value ?? '')}invalid`;
}

/** The discovered `issuer`: the value with `INVALID` appended. */
export function appendINVALID(value: unknown): string {
  return `${String(value ?? '')}INVALID`;
}

/**
 * A JWS with a corrupted signature: the first, middle and last bytes of the decoded signature are
 * flipped (XOR 0xFF) and the signature re-encoded. Header and payload are untouched. An empty
 * signature (`alg: none`) becomes one byte `0xFF`.
 */
export function corruptSignature(jws: string): string {
  const parts = jws.split('.');
  if (parts.length !== 3) throw new TypeError('corruptSignature expects a compact JWS');
  const signature = Buffer.from(parts[2]!, 'base64url');
  if (signature.length === 0) return `${parts[0]}.${parts[1]}.${Buffer.from([0xff]).toString('base64url')}`;
  for (const index of new Set([0, Math.floor(signature.length / 2), signature.length - 1])) {
    signature[index] = signature[index]! ^ 0xff;
  }
  return `${parts[0]}.${parts[1]}.${signature.toString('base64url')}`;
}

/**
 * Choosing the key an OP rotates to: a spare key it has not used yet (so that a run generates its
 * RSA keys once, up front), else a freshly generated one. Used by `Provider.rotateSigningKey` and
 * `Provider.rotateEncryptionKey`.
 *
 * @module
 */
import type { OpKey, OpKeyAlg } from './keys.js';
import { generateOpKey } from './keys.js';

/**
 * The next key for `alg`: the first of `spares` whose `kid` is not in `usedKids`, else a new key
 * (slow for RSA). The chosen key's `kid` is added to `usedKids`, so an OP never rotates back to a
 * key it used before.
 */
export async function nextRotationKey(alg: OpKeyAlg, spares: readonly OpKey[], usedKids: Set<string>): Promise<OpKey> {
  const spare = spares.find((key) => key.alg === alg && !usedKids.has(key.kid));
  const next = spare ?? (await generateOpKey(alg));
  usedKids.add(next.kid);
  return next;
}

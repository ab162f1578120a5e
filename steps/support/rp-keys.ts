import { importJWK } from 'jose';
import { type JsonWebKeyWithKid } from '../../src/index.js';
import { KeyJar } from '../../src/key-jar.js';
import { cachedKeys } from './key-cache.js';

/** The algorithms of the RPs' own keys. */
const RP_KEY_ALGS = ['RS256', 'ES256', 'RSA-OAEP'] as const;

let keys: Promise<JsonWebKeyWithKid[]> | undefined;

/** The RPs' keys from the key cache: one private key for each algorithm, each importable. */
async function loadRpKeys(stored: unknown): Promise<JsonWebKeyWithKid[]> {
  if (!Array.isArray(stored) || stored.length !== RP_KEY_ALGS.length) throw new TypeError('not a stored RP key set');
  const jwks = stored as JsonWebKeyWithKid[];
  for (const alg of RP_KEY_ALGS) {
    const jwk = jwks.find((k) => k !== null && typeof k === 'object' && k.alg === alg);
    if (jwk === undefined || typeof jwk.kid !== 'string' || typeof jwk['d'] !== 'string') throw new TypeError(`no stored ${alg} private key`);
    await importJWK(jwk, alg);
  }
  return jwks;
}

/**
 * The RPs' own private keys (RS256 and ES256 signing, RSA-OAEP encryption): made once per run,
 * since RSA generation is slow, or taken from the key cache of an earlier run (see key-cache.ts),
 * and imported by every scenario's RP.
 */
export function sharedRpKeys(): Promise<JsonWebKeyWithKid[]> {
  keys ??= cachedKeys(
    'rp-keys',
    async () => {
      const jar = new KeyJar();
      await jar.generateOwnKeys([...RP_KEY_ALGS]);
      return jar.exportOwnKeys();
    },
    (made) => made,
    loadRpKeys,
  );
  return keys;
}

/**
 * The OP's own key material: RS256, PS256, ES256 and EdDSA (Ed25519) signing keys and an RSA-OAEP
 * encryption key, plus spare RSA keys that key rotation switches to.
 *
 * RSA key generation takes 120 to 370 ms, so {@link generateOpKeys} is meant to be called once per
 * run and its result handed to every mock OP created in that run. Rotation (see `key-rotation.ts`)
 * takes the spares before it generates anything.
 *
 * @module
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';

/** The algorithms of the OP's own keys. */
export type OpKeyAlg = 'RS256' | 'PS256' | 'ES256' | 'EdDSA' | 'RSA-OAEP';

/** One asymmetric key pair of the OP, with its public JWK as published in the JWKS. */
export interface OpKey {
  /** Key id: the RFC 7638 JWK thumbprint (SHA-256) of the public key. */
  readonly kid: string;
  /** The algorithm the key is for. */
  readonly alg: OpKeyAlg;
  /** `sig` for signing keys, `enc` for the encryption key. */
  readonly use: 'sig' | 'enc';
  /** The private key (extractable, so that a misbehaviour could re-export it). */
  readonly privateKey: CryptoKey;
  /** The public key. */
  readonly publicKey: CryptoKey;
  /** The public JWK with `kid`, `use` and `alg`; never holds private parameters. */
  readonly publicJwk: JWK;
}

/** Pre-generated keys that rotation switches to, so that rotating costs no RSA generation. */
export interface SpareKeys {
  /** Spare RS256 signing keys. */
  readonly rs256: readonly OpKey[];
  /** Spare RSA-OAEP encryption keys. */
  readonly encryption: readonly OpKey[];
}

/** The full key material of an OP. */
export interface OpKeys {
  /** RSA 2048 signing key, the default for ID tokens. */
  readonly rs256: OpKey;
  /** P-256 signing key. */
  readonly es256: OpKey;
  /** RSA 2048 RSASSA-PSS signing key (PS256). Absent in key sets built by hand before it existed. */
  readonly ps256?: OpKey;
  /** Ed25519 signing key (EdDSA). Absent in key sets built by hand before it existed. */
  readonly eddsa?: OpKey;
  /** RSA 2048 encryption key (RSA-OAEP): clients may encrypt request objects to it. */
  readonly encryption: OpKey;
  /** Keys rotation switches to before generating new ones. */
  readonly spares?: SpareKeys;
}

/** Options of {@link generateOpKeys}. */
export interface GenerateOpKeysOptions {
  /**
   * How many spare RS256 signing keys and spare RSA-OAEP encryption keys to generate for rotation
   * (default 1 of each). Each costs an RSA generation.
   */
  readonly spares?: number;
}

/** Members of a JWK that carry private key material; they must never be published. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'] as const;

/** Generates one OP key pair for `alg` with its thumbprint `kid`. RSA keys are 2048 bits. */
export async function generateOpKey(alg: OpKeyAlg): Promise<OpKey> {
  const use = alg === 'RSA-OAEP' ? 'enc' : 'sig';
  const options =
    alg === 'ES256'
      ? { extractable: true }
      : alg === 'EdDSA'
        ? { extractable: true, crv: 'Ed25519' }
        : { extractable: true, modulusLength: 2048 };
  const { privateKey, publicKey } = await generateKeyPair(alg, options);
  return opKey(alg, use, privateKey, publicKey);
}

/** An {@link OpKey} of a key pair: its public JWK, and its thumbprint as `kid`. */
async function opKey(alg: OpKeyAlg, use: 'sig' | 'enc', privateKey: CryptoKey, publicKey: CryptoKey): Promise<OpKey> {
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported, 'sha256');
  return { kid, alg, use, privateKey, publicKey, publicJwk: { ...exported, kid, use, alg } };
}

/**
 * Generates a fresh set of OP keys. Slow (several RSA keys): call once per run and share the result
 * between OPs through the `keys` option of `createMockOp` / `createConformanceOp`.
 */
export async function generateOpKeys(options: GenerateOpKeysOptions = {}): Promise<OpKeys> {
  const spareCount = options.spares ?? 1;
  const spares = (alg: OpKeyAlg): Promise<OpKey[]> =>
    Promise.all(Array.from({ length: spareCount }, () => generateOpKey(alg)));
  const [rs256, es256, ps256, eddsa, encryption, spareRs256, spareEncryption] = await Promise.all([
    generateOpKey('RS256'),
    generateOpKey('ES256'),
    generateOpKey('PS256'),
    generateOpKey('EdDSA'),
    generateOpKey('RSA-OAEP'),
    spares('RS256'),
    spares('RSA-OAEP'),
  ]);
  return { rs256, es256, ps256, eddsa, encryption, spares: { rs256: spareRs256, encryption: spareEncryption } };
}

/** An OP key as JSON: its private JWK (with `kid`, `alg`, `use`). */
type StoredOpKey = JWK & { kid: string; alg: OpKeyAlg; use: 'sig' | 'enc' };

/** {@link OpKeys} as JSON, for a cache of keys between runs ({@link exportOpKeys}, {@link importOpKeys}). */
export interface StoredOpKeys {
  readonly rs256: StoredOpKey;
  readonly es256: StoredOpKey;
  readonly ps256?: StoredOpKey;
  readonly eddsa?: StoredOpKey;
  readonly encryption: StoredOpKey;
  readonly spares?: { readonly rs256: readonly StoredOpKey[]; readonly encryption: readonly StoredOpKey[] };
}

async function exportOpKey(key: OpKey): Promise<StoredOpKey> {
  return { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: key.alg, use: key.use };
}

/** The OP's keys as JSON, private parameters included: keep it where only this user reads it. */
export async function exportOpKeys(keys: OpKeys): Promise<StoredOpKeys> {
  const optional = async (key: OpKey | undefined): Promise<StoredOpKey | undefined> => (key === undefined ? undefined : exportOpKey(key));
  const [rs256, es256, ps256, eddsa, encryption] = await Promise.all([exportOpKey(keys.rs256), exportOpKey(keys.es256), optional(keys.ps256), optional(keys.eddsa), exportOpKey(keys.encryption)]);
  const spares = keys.spares && { rs256: await Promise.all(keys.spares.rs256.map(exportOpKey)), encryption: await Promise.all(keys.spares.encryption.map(exportOpKey)) };
  return { rs256, es256, ...(ps256 ? { ps256 } : {}), ...(eddsa ? { eddsa } : {}), encryption, ...(spares ? { spares } : {}) };
}

const PRIVATE_KEY_TYPES: Record<OpKeyAlg, string> = { RS256: 'RSA', PS256: 'RSA', 'RSA-OAEP': 'RSA', ES256: 'EC', EdDSA: 'OKP' };

async function importOpKey(stored: unknown, alg: OpKeyAlg, use: 'sig' | 'enc'): Promise<OpKey> {
  const jwk = stored as Partial<StoredOpKey> | null;
  if (jwk === null || typeof jwk !== 'object' || jwk.alg !== alg || jwk.use !== use || jwk.kty !== PRIVATE_KEY_TYPES[alg] || typeof jwk.d !== 'string') {
    throw new TypeError(`not a stored ${alg} private key`);
  }
  const privateKey = (await importJWK({ ...jwk, alg }, alg, { extractable: true })) as CryptoKey;
  const publicKey = (await importJWK({ ...stripPrivateMembers(jwk), alg }, alg, { extractable: true })) as CryptoKey;
  const key = await opKey(alg, use, privateKey, publicKey);
  if (key.kid !== jwk.kid) throw new TypeError(`the stored ${alg} key's kid is not its thumbprint`);
  return key;
}

/**
 * The OP's keys from what {@link exportOpKeys} gave.
 * @throws {TypeError} when `stored` is not such a key set (a damaged cache: generate the keys afresh).
 */
export async function importOpKeys(stored: unknown): Promise<OpKeys> {
  const s = stored as Partial<StoredOpKeys> | null;
  if (s === null || typeof s !== 'object') throw new TypeError('not a stored key set');
  const optional = (key: unknown, alg: OpKeyAlg): Promise<OpKey | undefined> => (key === undefined ? Promise.resolve(undefined) : importOpKey(key, alg, 'sig'));
  const list = (keys: unknown, alg: OpKeyAlg, use: 'sig' | 'enc'): Promise<OpKey[]> => {
    if (!Array.isArray(keys)) throw new TypeError('not a stored key set');
    return Promise.all(keys.map((k) => importOpKey(k, alg, use)));
  };
  const [rs256, es256, ps256, eddsa, encryption] = await Promise.all([
    importOpKey(s.rs256, 'RS256', 'sig'),
    importOpKey(s.es256, 'ES256', 'sig'),
    optional(s.ps256, 'PS256'),
    optional(s.eddsa, 'EdDSA'),
    importOpKey(s.encryption, 'RSA-OAEP', 'enc'),
  ]);
  const spares = s.spares === undefined ? undefined : { rs256: await list(s.spares.rs256, 'RS256', 'sig'), encryption: await list(s.spares.encryption, 'RSA-OAEP', 'enc') };
  return { rs256, es256, ...(ps256 ? { ps256 } : {}), ...(eddsa ? { eddsa } : {}), encryption, ...(spares ? { spares } : {}) };
}

/**
 * Removes every private member from a JWK. Defensive: the published JWKs come from public keys,
 * but a behaviour hook may build its own set.
 */
export function stripPrivateMembers(jwk: JWK): JWK {
  const copy: Record<string, unknown> = { ...jwk };
  for (const member of PRIVATE_JWK_MEMBERS) delete copy[member];
  return copy as JWK;
}

/** The OP's current signing keys, in the order they are published. */
export function signingKeys(keys: OpKeys): OpKey[] {
  return [keys.rs256, keys.es256, keys.ps256, keys.eddsa].filter((k): k is OpKey => k !== undefined);
}

/**
 * The OP's public JWKS: the current signing keys and the encryption key, public parameters only.
 * Spare keys are not published.
 */
export function publicJwks(keys: OpKeys): JSONWebKeySet {
  return { keys: [...signingKeys(keys), keys.encryption].map((k) => stripPrivateMembers(k.publicJwk)) };
}

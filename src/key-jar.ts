import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { ResponseError, VerificationError } from './errors.js';
import type { JsonWebKeyWithKid, Jwks } from './messages.js';

/**
 * A fetched key set with how long it may be used (from the response's `Cache-Control`), as a
 * {@link JwksFetcher} may return it.
 */
export interface FetchedJwks {
  /** The JWKS document. */
  document: unknown;
  /** Seconds it stays fresh; `0` means check again before every use; absent means until a `kid` is unknown. */
  maxAge?: number | undefined;
}

/**
 * Loads a JWKS document from a URL; the key jar's only way to the network. It returns the
 * document itself or a {@link FetchedJwks} that also says how long the keys stay fresh.
 */
export type JwksFetcher = (uri: string) => Promise<unknown>;

/** Options of a {@link KeyJar}. */
export interface KeyJarOptions {
  /** How to fetch an OP's `jwks_uri`. Without it, only keys given inline can be used. */
  fetcher?: JwksFetcher;
  /**
   * Milliseconds during which an unknown `kid` does not trigger another fetch after a fetch that
   * did not find one. Default 60,000: a token naming random key ids cannot make the RP fetch in a loop.
   */
  refetchCooldown?: number;
  /** The clock, in milliseconds. */
  now?: () => number;
}

/** The signing algorithms for which the RP can generate a key of its own (request objects, `private_key_jwt`). */
export const OWN_SIGNING_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

/**
 * The key management algorithms for which the RP can generate a decryption key of its own
 * (`id_token_encrypted_response_alg`, `userinfo_encrypted_response_alg`). `RSA1_5` is not among
 * them: jose does not support it, so an RP cannot decrypt with it at all.
 */
export const OWN_ENCRYPTION_ALGORITHMS = ['RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW'] as const;

/**
 * What the RP may generate for itself with {@link KeyJar.generateOwnKeys}: every asymmetric
 * algorithm it can register. (HS*, A*KW and `dir` use the client secret: no key to generate.)
 */
export type OwnKeyAlgorithm = (typeof OWN_SIGNING_ALGORITHMS)[number] | (typeof OWN_ENCRYPTION_ALGORITHMS)[number];

/** Every {@link OwnKeyAlgorithm}. */
export const OWN_KEY_ALGORITHMS: readonly OwnKeyAlgorithm[] = [...OWN_SIGNING_ALGORITHMS, ...OWN_ENCRYPTION_ALGORITHMS];

/** True when `alg` needs a private key of the RP's own (rather than the client secret, or nothing). */
export function needsOwnKey(alg: string): boolean {
  return /^(RS|PS|ES)(256|384|512)$/.test(alg) || alg === 'EdDSA' || alg.startsWith('RSA') || alg.startsWith('ECDH-ES');
}

interface IssuerKeys {
  jwks: JsonWebKeyWithKid[];
  jwksUri?: string;
  loaded: boolean;
  /** When fetched keys stop being fresh (milliseconds), when the OP said. */
  freshUntil?: number;
  lastFailedRefetch?: number;
  pending?: Promise<void>;
}

/** A key chosen for an operation: the JWK and the key ready for jose. */
export interface SelectedKey {
  jwk: JsonWebKeyWithKid;
  key: CryptoKey | Uint8Array;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The key type (and curve) that a JWS or JWE algorithm needs. */
export function keyTypeFor(alg: string): { kty: string; crv?: string } | undefined {
  if (/^(RS|PS)(256|384|512)$/.test(alg) || alg.startsWith('RSA')) return { kty: 'RSA' };
  if (alg === 'ES256') return { kty: 'EC', crv: 'P-256' };
  if (alg === 'ES384') return { kty: 'EC', crv: 'P-384' };
  if (alg === 'ES512') return { kty: 'EC', crv: 'P-521' };
  if (alg === 'EdDSA' || alg === 'Ed25519') return { kty: 'OKP' };
  if (alg.startsWith('ECDH-ES')) return { kty: 'EC' };
  if (/^HS(256|384|512)$/.test(alg) || /^A(128|192|256)(GCM)?KW$/.test(alg) || alg === 'dir') return { kty: 'oct' };
  return undefined;
}

function suits(jwk: JsonWebKeyWithKid, alg: string, use: 'sig' | 'enc'): boolean {
  const type = keyTypeFor(alg);
  if (!type || jwk.kty !== type.kty) return false;
  if (type.crv && jwk.crv !== type.crv) return false;
  if (jwk.kty === 'OKP' && use === 'sig' && jwk.crv !== 'Ed25519' && jwk.crv !== 'Ed448') return false;
  if (jwk.use !== undefined && jwk.use !== use) return false;
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  if (Array.isArray(jwk.key_ops)) {
    const wanted = use === 'sig' ? ['verify', 'sign'] : ['encrypt', 'checkDecryption', 'wrapKey', 'unwrapKey', 'deriveKey'];
    if (!jwk.key_ops.some((op) => wanted.includes(op))) return false;
  }
  return true;
}

/** The public part of a JWK: private and symmetric members removed. */
export function publicJwk(jwk: JsonWebKeyWithKid): JsonWebKeyWithKid {
  const copy: JsonWebKeyWithKid = { ...jwk };
  for (const member of PRIVATE_MEMBERS) delete copy[member];
  return copy;
}

/** True when `value` is a JWKS-shaped object: `{ keys: [ {kty, ...}, ... ] }`. */
export function isJwks(value: unknown): value is Jwks {
  if (value === null || typeof value !== 'object') return false;
  const keys = (value as { keys?: unknown }).keys;
  return Array.isArray(keys) && keys.every((k) => k !== null && typeof k === 'object' && typeof (k as { kty?: unknown }).kty === 'string');
}

/** Public keys imported in this process, by algorithm and JWK, shared by every KeyJar: at most this many. */
const SHARED_PUBLIC_KEYS = 256;
const sharedPublicKeys = new Map<string, Promise<CryptoKey | Uint8Array>>();

/**
 * A public key as imported for `alg`, shared across KeyJars: every RP of a process that verifies
 * tokens of the same OP imports its keys once. Only public asymmetric keys are shared (a key with
 * private or symmetric material stays in its own KeyJar); the oldest entry goes when it is full.
 */
export function sharedImport(cacheKey: string, jwk: JsonWebKeyWithKid, importKey: () => Promise<CryptoKey | Uint8Array>): Promise<CryptoKey | Uint8Array> {
  if (jwk.kty === 'oct' || PRIVATE_MEMBERS.some((member) => member in jwk)) return importKey();
  let imported = sharedPublicKeys.get(cacheKey);
  if (imported === undefined) {
    imported = importKey();
    imported.catch(() => sharedPublicKeys.delete(cacheKey));
    if (sharedPublicKeys.size >= SHARED_PUBLIC_KEYS) sharedPublicKeys.delete(sharedPublicKeys.keys().next().value!);
    sharedPublicKeys.set(cacheKey, imported);
  }
  return imported;
}

/**
 * The container for every key the RP needs, on `jose`: its own signing and encryption keys
 * (generated or imported), their public JWKS for its `jwks_uri`, and each OP's keys, loaded from
 * `jwks` or fetched from `jwks_uri`, fetched again when a token names an unknown `kid`.
 */
export class KeyJar {
  readonly #own: JsonWebKeyWithKid[] = [];
  readonly #issuers = new Map<string, IssuerKeys>();
  readonly #imported = new Map<string, Promise<CryptoKey | Uint8Array>>();
  readonly #fetcher: JwksFetcher | undefined;
  readonly #cooldown: number;
  readonly #now: () => number;

  constructor(options: KeyJarOptions = {}) {
    this.#fetcher = options.fetcher;
    this.#cooldown = options.refetchCooldown ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  // ---- the RP's own keys ----

  /**
   * Generates a key pair for each algorithm and adds the private keys to the RP's own keys, each
   * marked with its `alg` and `use` (ECDH-ES keys on P-256).
   */
  async generateOwnKeys(algorithms: OwnKeyAlgorithm[]): Promise<void> {
    for (const alg of algorithms) {
      const encryption = (OWN_ENCRYPTION_ALGORITHMS as readonly string[]).includes(alg);
      const options = alg.startsWith('ECDH-ES') ? { extractable: true, crv: 'P-256' } : { extractable: true };
      const { privateKey } = await generateKeyPair(alg, options);
      const jwk = (await exportJWK(privateKey)) as JsonWebKeyWithKid;
      await this.addOwnKey({ ...jwk, use: encryption ? 'enc' : 'sig', alg });
    }
  }

  /** Adds a private JWK to the RP's own keys; a `kid` is derived (RFC 7638 thumbprint) when missing. */
  async addOwnKey(jwk: JsonWebKeyWithKid): Promise<void> {
    const kid = jwk.kid ?? (await calculateJwkThumbprint(jwk as JWK));
    this.#own.push({ ...jwk, kid });
  }

  /** The RP's own keys with their private parts, for persistence. Handle as a secret. */
  exportOwnKeys(): JsonWebKeyWithKid[] {
    return this.#own.map((k) => ({ ...k }));
  }

  /** The public JWKS the RP publishes at its `jwks_uri`. Never contains private members. */
  ownPublicJwks(): Jwks {
    return { keys: this.#own.filter((k) => k.kty !== 'oct').map(publicJwk) };
  }

  /**
   * The RP's own private key for signing with `alg` (request objects, `private_key_jwt`).
   * @throws {VerificationError} `ownSigningKey` when the RP has no such key.
   */
  async ownSigningKey(alg: string): Promise<SelectedKey> {
    const jwk = this.#own.find((k) => suits(k, alg, 'sig') && k.kty !== 'oct');
    if (!jwk) throw new VerificationError('ownSigningKey', `the RP has no private key for signing with ${alg}`);
    return { jwk, key: await this.#import(jwk, alg) };
  }

  /** Whether the RP has a private key of its own for `alg` (to sign with, or to decrypt with). */
  hasOwnKeyFor(alg: string): boolean {
    return this.#own.some((k) => k.kty !== 'oct' && (suits(k, alg, 'sig') || suits(k, alg, 'enc')));
  }

  /** The RP's own private keys that can decrypt with `alg` (for encrypted ID tokens and userinfo). */
  async ownDecryptionKeys(alg: string, kid?: string): Promise<SelectedKey[]> {
    const candidates = this.#own.filter((k) => suits(k, alg, 'enc') && k.kty !== 'oct' && (kid === undefined || k.kid === kid));
    return Promise.all(candidates.map(async (jwk) => ({ jwk, key: await this.#import(jwk, alg) })));
  }

  // ---- the OPs' keys ----

  /** Adds an OP's keys given inline (provider info `jwks`, or static configuration); a key already held is not added twice. */
  addIssuerJwks(issuer: string, jwks: Jwks): void {
    const entry = this.#entry(issuer);
    const held = new Set(entry.jwks.map((k) => JSON.stringify(k)));
    entry.jwks = [...entry.jwks, ...jwks.keys.map(publicJwk).filter((k) => !held.has(JSON.stringify(k)))];
    entry.loaded = true;
  }

  /** Records where an OP's keys live; they are fetched when first needed. */
  setIssuerJwksUri(issuer: string, jwksUri: string): void {
    const entry = this.#entry(issuer);
    if (entry.jwksUri !== jwksUri) {
      entry.jwksUri = jwksUri;
      entry.loaded = false;
    }
  }

  /** The OP's public keys as currently known (without fetching). */
  issuerKeys(issuer: string): JsonWebKeyWithKid[] {
    return [...(this.#issuers.get(issuer)?.jwks ?? [])];
  }

  /**
   * The OP's keys that can verify a JWS with `alg` and `kid`, chosen as OpenID Connect Core 10.1
   * says: by `kid` when the header names one (fetching the JWKS again once when the `kid` is
   * unknown, with a cooldown), and the single key of the right type when it does not.
   * Several candidates without a `kid` are refused unless `allowMissingKid`, where all are returned
   * to be tried in turn.
   * @throws {VerificationError} `selectKey` when no key (or no single key) fits.
   */
  async verificationKeys(issuer: string, alg: string, kid: string | undefined, allowMissingKid = false): Promise<SelectedKey[]> {
    const fetchedNow = await this.#ensureLoaded(issuer);
    let candidates = this.#candidates(issuer, alg, kid);
    if (candidates.length === 0 && !fetchedNow && (await this.#refetch(issuer))) {
      candidates = this.#candidates(issuer, alg, kid);
    }
    if (candidates.length === 0) {
      const which = kid === undefined ? `no key for ${alg}` : `no key with kid "${kid}" for ${alg}`;
      throw new VerificationError('selectKey', `the OP's JWKS has ${which}`, { detail: { alg, kid } });
    }
    if (kid === undefined && candidates.length > 1 && !allowMissingKid) {
      throw new VerificationError('selectKey', `the token names no kid and the OP's JWKS has ${candidates.length} keys for ${alg}`, {
        detail: { alg, candidates: candidates.length },
      });
    }
    return Promise.all(candidates.map(async (jwk) => ({ jwk, key: await this.#import(jwk, alg) })));
  }

  /**
   * The OP's public key to encrypt to with `alg` (request objects).
   * @throws {VerificationError} `selectKey` when the OP publishes no such key.
   */
  async encryptionKey(issuer: string, alg: string): Promise<SelectedKey> {
    await this.#ensureLoaded(issuer);
    const jwk = this.#issuers.get(issuer)?.jwks.find((k) => suits(k, alg, 'enc'));
    if (!jwk) throw new VerificationError('selectKey', `the OP's JWKS has no key to encrypt to with ${alg}`, { detail: { alg } });
    return { jwk, key: await this.#import(jwk, alg) };
  }

  /** Forgets the OP's fetched keys so the next use fetches them again. */
  invalidate(issuer: string): void {
    const entry = this.#issuers.get(issuer);
    if (entry?.jwksUri) entry.loaded = false;
  }

  /** A serialisable view of the jar (own private keys included) for persistence. Handle as a secret. */
  toJSON(): { own: JsonWebKeyWithKid[]; issuers: Record<string, { jwks: JsonWebKeyWithKid[]; jwksUri?: string }> } {
    const issuers: Record<string, { jwks: JsonWebKeyWithKid[]; jwksUri?: string }> = {};
    for (const [issuer, entry] of this.#issuers) {
      issuers[issuer] = { jwks: entry.jwks, ...(entry.jwksUri === undefined ? {} : { jwksUri: entry.jwksUri }) };
    }
    return { own: this.exportOwnKeys(), issuers };
  }

  /** Restores what {@link KeyJar.toJSON} wrote. Fetched keys count as loaded. */
  restore(data: ReturnType<KeyJar['toJSON']>): void {
    this.#own.splice(0, this.#own.length, ...data.own);
    for (const [issuer, saved] of Object.entries(data.issuers)) {
      this.#issuers.set(issuer, {
        jwks: saved.jwks,
        ...(saved.jwksUri === undefined ? {} : { jwksUri: saved.jwksUri }),
        loaded: saved.jwks.length > 0 || saved.jwksUri === undefined,
      });
    }
  }

  #entry(issuer: string): IssuerKeys {
    let entry = this.#issuers.get(issuer);
    if (!entry) {
      entry = { jwks: [], loaded: false };
      this.#issuers.set(issuer, entry);
    }
    return entry;
  }

  #candidates(issuer: string, alg: string, kid: string | undefined): JsonWebKeyWithKid[] {
    const keys = this.#issuers.get(issuer)?.jwks ?? [];
    return keys.filter((k) => suits(k, alg, 'sig') && (kid === undefined || k.kid === kid));
  }

  /** Loads the issuer's keys when they are not loaded yet; true when it fetched them just now. */
  async #ensureLoaded(issuer: string): Promise<boolean> {
    const entry = this.#issuers.get(issuer);
    if (!entry || entry.jwksUri === undefined || !this.#fetcher) return false;
    if (entry.loaded && (entry.freshUntil === undefined || this.#now() < entry.freshUntil)) return false;
    await this.#load(entry);
    return true;
  }

  /** Fetches the JWKS again unless a fetch that found nothing new happened within the cooldown. */
  async #refetch(issuer: string): Promise<boolean> {
    const entry = this.#issuers.get(issuer);
    if (!entry?.jwksUri || !this.#fetcher) return false;
    if (entry.lastFailedRefetch !== undefined && this.#now() - entry.lastFailedRefetch < this.#cooldown) return false;
    const before = JSON.stringify(entry.jwks);
    try {
      await this.#load(entry);
    } catch (error) {
      // A failing jwks_uri starts the cooldown too: otherwise every token would fetch again.
      entry.lastFailedRefetch = this.#now();
      throw error;
    }
    if (JSON.stringify(entry.jwks) === before) {
      entry.lastFailedRefetch = this.#now();
      return false;
    }
    delete entry.lastFailedRefetch;
    return true;
  }

  async #load(entry: IssuerKeys): Promise<void> {
    if (entry.pending) return entry.pending;
    const uri = entry.jwksUri;
    if (uri === undefined || !this.#fetcher) return;
    const fetcher = this.#fetcher;
    entry.pending = (async () => {
      const fetched = await fetcher(uri);
      const wrapped = !isJwks(fetched) && fetched !== null && typeof fetched === 'object' && 'document' in fetched;
      const document = wrapped ? (fetched as FetchedJwks).document : fetched;
      const maxAge = wrapped ? (fetched as FetchedJwks).maxAge : undefined;
      if (!isJwks(document)) {
        throw new ResponseError('checkJwks', `the document at ${uri} is not a JWK Set`);
      }
      entry.jwks = document.keys.map(publicJwk);
      entry.loaded = true;
      if (maxAge === undefined) delete entry.freshUntil;
      else entry.freshUntil = this.#now() + maxAge * 1000;
    })();
    try {
      await entry.pending;
    } finally {
      delete entry.pending;
    }
  }

  async #import(jwk: JsonWebKeyWithKid, alg: string): Promise<CryptoKey | Uint8Array> {
    const cacheKey = `${alg}|${JSON.stringify(jwk)}`;
    let imported = this.#imported.get(cacheKey);
    if (!imported) {
      imported = sharedImport(cacheKey, jwk, () => importJWK({ ...(jwk as JWK), alg }, alg)).catch((cause: unknown) => {
        this.#imported.delete(cacheKey);
        throw new VerificationError('selectKey', `a ${jwk.kty} key${jwk.kid ? ` (kid "${jwk.kid}")` : ''} could not be used with ${alg}`, { cause });
      });
      this.#imported.set(cacheKey, imported);
    }
    return imported;
  }
}

/**
 * The KeyJar: the RP's own keys, the OP's keys by kid, the JWKS refetch on an unknown kid with its
 * cooldown (fetcher calls counted, time moved with the `now` option), and persistence.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CompactEncrypt, importJWK } from 'jose';
import { ResponseError, VerificationError, jwksFetcher, type HttpClient, type JsonWebKeyWithKid, type RequestParameters } from '../../src/index.js';
import { decryptJwe } from '../../src/jose/decrypt-jwe.js';
import { KeyJar, needsOwnKey, OWN_KEY_ALGORITHMS, isJwks, keyTypeFor, publicJwk, sharedImport } from '../../src/key-jar.js';
import { httpResponse, isError } from '../fixtures/http.js';
import { ecKey, opSecondKey, opSigningKey, rpSigningKey, type KeyPairFixture } from '../fixtures/keys.js';

const ISS = 'https://example.com';
const JWKS_URI = 'https://example.com/jwks.json';

let op1: KeyPairFixture;
let op2: KeyPairFixture;

before(async () => {
  [op1, op2] = await Promise.all([opSigningKey(), opSecondKey()]);
});

/** A fetcher that serves `documents()` and counts its calls; a clock in milliseconds that tests move. */
function counting(documents: () => unknown) {
  const calls: string[] = [];
  let time = 1_000_000;
  const fetcher = async (uri: string) => {
    calls.push(uri);
    return documents();
  };
  return { calls, fetcher, now: () => time, advance: (ms: number) => { time += ms; } };
}

describe('KeyJar: the OP\'s keys from jwks_uri', () => {
  it('fetches the JWKS on first use and selects the key by kid', async () => {
    const f = counting(() => ({ keys: [op1.publicJwk, op2.publicJwk] }));
    const jar = new KeyJar({ fetcher: f.fetcher, now: f.now });
    jar.setIssuerJwksUri(ISS, JWKS_URI);
    const [selected] = await jar.verificationKeys(ISS, 'RS256', op2.kid);
    assert.equal(selected?.jwk.kid, op2.kid);
    assert.deepEqual(f.calls, [JWKS_URI]);
    await jar.verificationKeys(ISS, 'RS256', op1.kid);
    assert.equal(f.calls.length, 1, 'a known kid needs no fetch');
  });

  it('an unknown kid triggers exactly one refetch; the cooldown prevents a second; after it, one more', async () => {
    const f = counting(() => ({ keys: [op1.publicJwk] }));
    const jar = new KeyJar({ fetcher: f.fetcher, now: f.now, refetchCooldown: 60_000 });
    jar.setIssuerJwksUri(ISS, JWKS_URI);
    await jar.verificationKeys(ISS, 'RS256', op1.kid);
    assert.equal(f.calls.length, 1);

    await assert.rejects(jar.verificationKeys(ISS, 'RS256', 'unknown-1'), isError(VerificationError, 'selectKey'));
    assert.equal(f.calls.length, 2, 'one refetch for the unknown kid');

    f.advance(59_000);
    await assert.rejects(jar.verificationKeys(ISS, 'RS256', 'unknown-2'), isError(VerificationError, 'selectKey'));
    assert.equal(f.calls.length, 2, 'no refetch within the cooldown');

    f.advance(1_000);
    await assert.rejects(jar.verificationKeys(ISS, 'RS256', 'unknown-3'), isError(VerificationError, 'selectKey'));
    assert.equal(f.calls.length, 3, 'the cooldown is over: one more refetch');
  });

  it('picks up a rotated key with one refetch', async () => {
    let keys: JsonWebKeyWithKid[] = [op1.publicJwk];
    const f = counting(() => ({ keys }));
    const jar = new KeyJar({ fetcher: f.fetcher, now: f.now });
    jar.setIssuerJwksUri(ISS, JWKS_URI);
    await jar.verificationKeys(ISS, 'RS256', op1.kid);
    keys = [op2.publicJwk];
    const [selected] = await jar.verificationKeys(ISS, 'RS256', op2.kid);
    assert.equal(selected?.jwk.kid, op2.kid);
    assert.equal(f.calls.length, 2);
  });

  it('a rotation found by a refetch does not start the cooldown', async () => {
    let keys: JsonWebKeyWithKid[] = [op1.publicJwk];
    const f = counting(() => ({ keys }));
    const jar = new KeyJar({ fetcher: f.fetcher, now: f.now });
    jar.setIssuerJwksUri(ISS, JWKS_URI);
    await jar.verificationKeys(ISS, 'RS256', op1.kid);
    keys = [op2.publicJwk];
    await jar.verificationKeys(ISS, 'RS256', op2.kid);
    keys = [op1.publicJwk, op2.publicJwk];
    await jar.verificationKeys(ISS, 'RS256', op1.kid);
    assert.equal(f.calls.length, 3);
  });

  it('a first use with an unknown kid fetches the JWKS only once', async () => {
    const f = counting(() => ({ keys: [op1.publicJwk] }));
    const jar = new KeyJar({ fetcher: f.fetcher, now: f.now });
    jar.setIssuerJwksUri(ISS, JWKS_URI);
    await assert.rejects(jar.verificationKeys(ISS, 'RS256', 'unknown'), isError(VerificationError, 'selectKey'));
    assert.equal(f.calls.length, 1);
  });

  it('a failed refetch also starts the cooldown', async () => {
    let fail = false;
    const f = counting(() => {
      if (fail) throw new ResponseError('checkJwksResponse', 'HTTP 503');
      return { keys: [op1.publicJwk] };
    });
    const jar = new KeyJar({ fetcher: f.fetcher, now: f.now });
    jar.setIssuerJwksUri(ISS, JWKS_URI);
    await jar.verificationKeys(ISS, 'RS256', op1.kid);
    fail = true;
    const failedOrUnknown = (e: unknown) =>
      (e instanceof ResponseError && e.check === 'checkJwksResponse') || (e instanceof VerificationError && e.check === 'selectKey');
    await assert.rejects(jar.verificationKeys(ISS, 'RS256', 'unknown-1'), failedOrUnknown);
    await assert.rejects(jar.verificationKeys(ISS, 'RS256', 'unknown-2'), failedOrUnknown);
    await assert.rejects(jar.verificationKeys(ISS, 'RS256', 'unknown-3'), failedOrUnknown);
    assert.equal(f.calls.length, 2, 'one refetch, then the cooldown');
  });

  it('concurrent first uses share one fetch', async () => {
    const f = counting(() => ({ keys: [op1.publicJwk] }));
    const jar = new KeyJar({ fetcher: f.fetcher, now: f.now });
    jar.setIssuerJwksUri(ISS, JWKS_URI);
    await Promise.all([1, 2, 3, 4].map(() => jar.verificationKeys(ISS, 'RS256', op1.kid)));
    assert.equal(f.calls.length, 1);
  });

  it('invalidate makes the next use fetch again', async () => {
    const f = counting(() => ({ keys: [op1.publicJwk] }));
    const jar = new KeyJar({ fetcher: f.fetcher, now: f.now });
    jar.setIssuerJwksUri(ISS, JWKS_URI);
    await jar.verificationKeys(ISS, 'RS256', op1.kid);
    jar.invalidate(ISS);
    await jar.verificationKeys(ISS, 'RS256', op1.kid);
    assert.equal(f.calls.length, 2);
  });

  it('rejects a document that is not a JWK Set (checkJwks)', async () => {
    const f = counting(() => ({ keys: 'none' }));
    const jar = new KeyJar({ fetcher: f.fetcher, now: f.now });
    jar.setIssuerJwksUri(ISS, JWKS_URI);
    await assert.rejects(jar.verificationKeys(ISS, 'RS256', op1.kid), isError(ResponseError, 'checkJwks'));
  });

  it('never keeps private members of an OP\'s keys', async () => {
    const f = counting(() => ({ keys: [op1.privateJwk] }));
    const jar = new KeyJar({ fetcher: f.fetcher, now: f.now });
    jar.setIssuerJwksUri(ISS, JWKS_URI);
    await jar.verificationKeys(ISS, 'RS256', op1.kid);
    assert.equal(jar.issuerKeys(ISS)[0]?.['d'], undefined);
  });
});

describe('KeyJar: selecting among inline keys', () => {
  it('rejects a missing kid among several keys of the type', async () => {
    const jar = new KeyJar();
    jar.addIssuerJwks(ISS, { keys: [op1.publicJwk, op2.publicJwk] });
    await assert.rejects(jar.verificationKeys(ISS, 'RS256', undefined), isError(VerificationError, 'selectKey'));
    assert.equal((await jar.verificationKeys(ISS, 'RS256', undefined, true)).length, 2);
  });

  it('a missing kid with one key of the type (and keys of other types) selects it', async () => {
    const jar = new KeyJar();
    jar.addIssuerJwks(ISS, { keys: [op1.publicJwk, (await ecKey('ec-a')).publicJwk] });
    const selected = await jar.verificationKeys(ISS, 'RS256', undefined);
    assert.deepEqual(selected.map((k) => k.jwk.kid), [op1.kid]);
  });

  it('adding the same keys twice does not make a single key ambiguous', async () => {
    const jar = new KeyJar();
    jar.addIssuerJwks(ISS, { keys: [op1.publicJwk] });
    jar.addIssuerJwks(ISS, { keys: [op1.publicJwk] });
    assert.equal((await jar.verificationKeys(ISS, 'RS256', undefined)).length, 1);
  });

  it('does not use encryption keys, keys for another alg, or keys whose key_ops forbid verifying', async () => {
    for (const jwk of [
      { ...op1.publicJwk, use: 'enc' },
      { ...op1.publicJwk, alg: 'PS256' },
      { ...op1.publicJwk, use: undefined, key_ops: ['encrypt'] },
    ]) {
      const jar = new KeyJar();
      jar.addIssuerJwks(ISS, { keys: [jwk as JsonWebKeyWithKid] });
      await assert.rejects(jar.verificationKeys(ISS, 'RS256', op1.kid), isError(VerificationError, 'selectKey'), JSON.stringify({ use: jwk.use, alg: jwk.alg, key_ops: jwk['key_ops'] }));
    }
  });

  it('rejects a key that cannot be imported for the algorithm', async () => {
    const jar = new KeyJar();
    jar.addIssuerJwks(ISS, { keys: [{ kty: 'RSA', kid: 'broken', e: 'AQAB' }] });
    await assert.rejects(jar.verificationKeys(ISS, 'RS256', 'broken'), isError(VerificationError, 'selectKey'));
  });

  it('encryptionKey finds an OP encryption key and rejects when there is none', async () => {
    const jar = new KeyJar();
    jar.addIssuerJwks(ISS, { keys: [op1.publicJwk] });
    await assert.rejects(jar.encryptionKey(ISS, 'RSA-OAEP'), isError(VerificationError, 'selectKey'));
  });
});

describe('KeyJar: the RP\'s own keys', () => {
  it('generates keys with thumbprint kids and publishes only their public parts', async () => {
    const jar = new KeyJar();
    await jar.generateOwnKeys(['ES256', 'EdDSA']);
    const own = jar.exportOwnKeys();
    assert.equal(own.length, 2);
    assert.ok(own.every((k) => typeof k.kid === 'string' && k.kid.length === 43 && typeof k['d'] === 'string'));
    const published = jar.ownPublicJwks();
    assert.equal(published.keys.length, 2);
    assert.ok(published.keys.every((k) => k['d'] === undefined));
    const signing = await jar.ownSigningKey('EdDSA');
    assert.equal(signing.jwk.crv, 'Ed25519');
  });

  it('imports a private JWK, keeps its kid, and never publishes its private members or a symmetric key', async () => {
    const rp = await rpSigningKey();
    const jar = new KeyJar();
    await jar.addOwnKey(rp.privateJwk);
    await jar.addOwnKey({ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ', kid: 'sym' });
    const published = JSON.stringify(jar.ownPublicJwks());
    assert.deepEqual(jar.ownPublicJwks().keys.map((k) => k.kid), [rp.kid]);
    for (const member of ['"d"', '"p"', '"q"', '"dp"', '"dq"', '"qi"', '"k"']) assert.equal(published.includes(member), false, member);
    assert.equal((await jar.ownSigningKey('RS256')).jwk.kid, rp.kid);
  });

  it('generates a key for every algorithm the RP can register, and decrypts with RSA-OAEP-256 and ECDH-ES+A128KW', async () => {
    const jar = new KeyJar();
    // RSA generation is slow: one of each key type is enough to show the use, alg and type; the rest below.
    const sample = ['PS384', 'ES512', 'EdDSA', 'RSA-OAEP-256', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'] as const;
    await jar.generateOwnKeys([...sample]);
    const own = jar.exportOwnKeys();
    assert.deepEqual(own.map((k) => [k.alg, k.use, k.kty, k.crv ?? null]), [
      ['PS384', 'sig', 'RSA', null], ['ES512', 'sig', 'EC', 'P-521'], ['EdDSA', 'sig', 'OKP', 'Ed25519'],
      ['RSA-OAEP-256', 'enc', 'RSA', null], ['ECDH-ES+A128KW', 'enc', 'EC', 'P-256'], ['ECDH-ES+A256KW', 'enc', 'EC', 'P-256'],
    ]);
    for (const alg of sample) assert.equal(jar.hasOwnKeyFor(alg), true, alg);
    assert.equal(jar.hasOwnKeyFor('RSA-OAEP'), false, 'a key generated for RSA-OAEP-256 is for that algorithm only');
    for (const alg of ['RSA-OAEP-256', 'ECDH-ES+A128KW'] as const) {
      const publicJwk = jar.ownPublicJwks().keys.find((k) => k.alg === alg)!;
      const jwe = await new CompactEncrypt(new TextEncoder().encode('{"sub":"user-1"}')).setProtectedHeader({ alg, enc: 'A128CBC-HS256', kid: publicJwk.kid }).encrypt(await importJWK(publicJwk, alg));
      assert.equal(await decryptJwe(jwe, { keyJar: jar, expectedAlg: alg, expectedEnc: 'A128CBC-HS256' }), '{"sub":"user-1"}', alg);
    }
    assert.deepEqual([...OWN_KEY_ALGORITHMS].sort(), ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW', 'ES256', 'ES384', 'ES512', 'EdDSA', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512'].sort());
    assert.equal(needsOwnKey('A128KW'), false);
    assert.equal(needsOwnKey('HS256'), false);
    assert.equal(needsOwnKey('dir'), false);
    assert.equal(needsOwnKey('RSA1_5'), true);
  });

  it('rejects a signing algorithm the RP has no key for', async () => {
    await assert.rejects(new KeyJar().ownSigningKey('RS256'), isError(VerificationError, 'ownSigningKey'));
  });

  it('round-trips through toJSON and restore', async () => {
    const f = counting(() => ({ keys: [op1.publicJwk] }));
    const jar = new KeyJar({ fetcher: f.fetcher });
    await jar.generateOwnKeys(['ES256']);
    jar.setIssuerJwksUri(ISS, JWKS_URI);
    await jar.verificationKeys(ISS, 'RS256', op1.kid);
    const saved = JSON.parse(JSON.stringify(jar.toJSON())) as ReturnType<KeyJar['toJSON']>;
    const copy = new KeyJar({ fetcher: f.fetcher });
    copy.restore(saved);
    assert.deepEqual(copy.exportOwnKeys(), jar.exportOwnKeys());
    await copy.verificationKeys(ISS, 'RS256', op1.kid);
    assert.equal(f.calls.length, 1, 'restored keys count as loaded');
  });
});

describe('key helpers', () => {
  it('keyTypeFor maps algorithms to key types', () => {
    assert.deepEqual(keyTypeFor('RS256'), { kty: 'RSA' });
    assert.deepEqual(keyTypeFor('PS512'), { kty: 'RSA' });
    assert.deepEqual(keyTypeFor('RSA-OAEP'), { kty: 'RSA' });
    assert.deepEqual(keyTypeFor('ES256'), { kty: 'EC', crv: 'P-256' });
    assert.deepEqual(keyTypeFor('ES512'), { kty: 'EC', crv: 'P-521' });
    assert.deepEqual(keyTypeFor('EdDSA'), { kty: 'OKP' });
    assert.deepEqual(keyTypeFor('HS256'), { kty: 'oct' });
    assert.deepEqual(keyTypeFor('A128KW'), { kty: 'oct' });
    assert.equal(keyTypeFor('none'), undefined);
  });

  it('publicJwk removes private members', () => {
    assert.deepEqual(publicJwk({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'secret', kid: 'k' }), { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k' });
  });

  it('isJwks recognises a JWK Set', () => {
    assert.equal(isJwks({ keys: [{ kty: 'RSA' }] }), true);
    assert.equal(isJwks({ keys: [] }), true);
    assert.equal(isJwks({ keys: [{ n: 'x' }] }), false);
    assert.equal(isJwks([]), false);
    assert.equal(isJwks(null), false);
  });
});

describe('jwksFetcher', () => {
  const client = (response: ReturnType<typeof httpResponse>) => {
    const sent: RequestParameters[] = [];
    const http: HttpClient = { send: async (request) => { sent.push(request); return response; } };
    return { sent, http };
  };

  it('GETs the jwks_uri and returns the JWK Set (application/jwk-set+json or application/json)', async () => {
    for (const contentType of ['application/jwk-set+json', 'application/json; charset=utf-8']) {
      const { sent, http } = client(httpResponse({ keys: [op1.publicJwk] }, { contentType }));
      const fetched = await jwksFetcher(http)(JWKS_URI);
      assert.deepEqual(fetched, { document: { keys: [op1.publicJwk] }, maxAge: undefined });
      assert.equal(sent[0]?.method, 'GET');
      assert.equal(sent[0]?.url, JWKS_URI);
    }
  });

  it('reads how long the keys stay fresh from Cache-Control', async () => {
    for (const [cacheControl, maxAge] of [['max-age=300', 300], ['no-cache', 0], ['public, no-store', 0], ['private', undefined]] as const) {
      const response = httpResponse({ keys: [op1.publicJwk] }, { contentType: 'application/json' });
      const { http } = client({ ...response, headers: { ...response.headers, 'cache-control': cacheControl } });
      assert.equal(((await jwksFetcher(http)(JWKS_URI)) as { maxAge?: number }).maxAge, maxAge, cacheControl);
    }
  });

  it('fetches again before use once the keys are no longer fresh', async () => {
    let now = 1_000_000;
    let fetches = 0;
    const jar = new KeyJar({ now: () => now, fetcher: async () => { fetches += 1; return { document: { keys: [op1.publicJwk] }, maxAge: 60 }; } });
    jar.setIssuerJwksUri(ISS, JWKS_URI);
    await jar.verificationKeys(ISS, 'RS256', op1.kid);
    await jar.verificationKeys(ISS, 'RS256', op1.kid);
    assert.equal(fetches, 1);
    now += 61_000;
    await jar.verificationKeys(ISS, 'RS256', op1.kid);
    assert.equal(fetches, 2);
  });

  it('rejects another status', async () => {
    const { http } = client(httpResponse({ keys: [] }, { status: 404 }));
    await assert.rejects(jwksFetcher(http)(JWKS_URI), isError(ResponseError, 'checkJwksResponse', (e) => e.detail['status'] === 404));
  });

  it('rejects another content type', async () => {
    const { http } = client(httpResponse('<html></html>', { contentType: 'text/html' }));
    await assert.rejects(jwksFetcher(http)(JWKS_URI), isError(ResponseError, 'checkJwksResponse'));
  });

  it('rejects malformed JSON', async () => {
    const { http } = client(httpResponse('{"keys": [', {}));
    await assert.rejects(jwksFetcher(http)(JWKS_URI), isError(ResponseError, 'parseJson'));
  });
});

describe('public keys shared across KeyJars', () => {
  const counting = (): { calls: () => number; importKey: () => Promise<Uint8Array> } => {
    let calls = 0;
    return { calls: () => calls, importKey: async () => { calls += 1; return new Uint8Array([calls]); } };
  };

  it('imports a public key once for every KeyJar of the process, and two jars verify with it', async () => {
    const { calls, importKey } = counting();
    const jwk: JsonWebKeyWithKid = { kty: 'RSA', n: 'shared-test-n', e: 'AQAB', kid: 'shared-1' };
    const first = await sharedImport('RS256|shared-1', jwk, importKey);
    const second = await sharedImport('RS256|shared-1', jwk, importKey);
    assert.equal(calls(), 1);
    assert.equal(first, second);
    const keys = [];
    for (const jar of [new KeyJar(), new KeyJar()]) {
      jar.addIssuerJwks(ISS, { keys: [op1.publicJwk] });
      keys.push((await jar.verificationKeys(ISS, 'RS256', op1.kid))[0]!.key);
    }
    assert.equal(keys[0], keys[1], 'the two jars hold the one imported key');
  });

  it('never shares a key with private or symmetric material: each jar imports its own', async () => {
    for (const jwk of [{ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ', kid: 'oct-1' }, { kty: 'RSA', n: 'n', e: 'AQAB', d: 'private', kid: 'rsa-private' }] as JsonWebKeyWithKid[]) {
      const { calls, importKey } = counting();
      await sharedImport(`HS256|${jwk.kid}`, jwk, importKey);
      await sharedImport(`HS256|${jwk.kid}`, jwk, importKey);
      assert.equal(calls(), 2, `${jwk.kid} is imported each time`);
    }
  });

  it('forgets an import that failed, and the oldest once it holds 256', async () => {
    let fail = true;
    let calls = 0;
    const flaky = async (): Promise<Uint8Array> => {
      calls += 1;
      if (fail) throw new Error('not a key');
      return new Uint8Array([1]);
    };
    const jwk: JsonWebKeyWithKid = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'flaky' };
    await assert.rejects(sharedImport('ES256|flaky', jwk, flaky), /not a key/);
    fail = false;
    await sharedImport('ES256|flaky', jwk, flaky);
    assert.equal(calls, 2, 'the failed import was not kept');

    const { calls: evictedCalls, importKey } = counting();
    await sharedImport('RS256|oldest', { kty: 'RSA', n: 'oldest', e: 'AQAB' }, importKey);
    for (let i = 0; i < 256; i += 1) await sharedImport(`RS256|filler-${i}`, { kty: 'RSA', n: `filler-${i}`, e: 'AQAB' }, async () => new Uint8Array([0]));
    await sharedImport('RS256|oldest', { kty: 'RSA', n: 'oldest', e: 'AQAB' }, importKey);
    assert.equal(evictedCalls(), 2, 'the oldest entry went to make room');
  });
});

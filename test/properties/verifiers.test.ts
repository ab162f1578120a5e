/**
 * Properties of the verifiers: decodeJws, verifyJws, decryptJwe, verifyIdToken, verifyLogoutToken
 * and handleBackChannelLogout. Each part says its oracle.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { base64url, exportJWK, generateKeyPair, importJWK, type CryptoKey } from 'jose';
import { OidcError, type JsonWebKeyWithKid, type ServiceContext } from '../../src/index.js';
import { BACKCHANNEL_LOGOUT_EVENT } from '../../src/checks/check-logout-token-claims.js';
import { verifyIdToken, type IdTokenExpectations } from '../../src/id-token/verify-id-token.js';
import { decryptJwe } from '../../src/jose/decrypt-jwe.js';
import { decodeJws } from '../../src/jose/jwt-parts.js';
import { verifyJws } from '../../src/jose/verify-jws.js';
import { KeyJar } from '../../src/key-jar.js';
import { handleBackChannelLogout } from '../../src/logout/backchannel-logout.js';
import { verifyLogoutToken } from '../../src/logout/verify-logout-token.js';
import { CLIENT_ID, CLIENT_SECRET, ISSUER, makeContext, NOW } from '../fixtures/context.js';
import { ecKey, foreignKey, opSecondKey, opSigningKey, rpEncryptionKey, type KeyPairFixture } from '../fixtures/keys.js';
import { anyKey, b64json, CONTENT_TYPES, garbageToken, hostileValue, hugeString, messageOf, mostly, mutated, objectOf, randomPart, shallowWrongValue, sometimes, stringify, unprintable } from './_arbitraries.js';
import { hmacJws, jwe, keyJws, noneJws, reallySigned, secretKey, signingInput, tokenFamily, type LabelledToken } from './_jwt.js';
import { CRYPTO_RUNS, SIGNED_RUNS, isPlainObject, params, sameJson, settle, settleSync, syncParams, Tally, TEST_TIMEOUT } from './_support.js';

describe('JOSE', () => {
  /**
   * Properties of the JOSE layer: decodeJws, verifyJws and decryptJwe.
   *
   * The oracle of verifyJws: it accepts a token only when the header's alg is allowed, no `crit` is
   * present, and the signing input was really signed by a key of the issuer in the key jar (or by
   * the client secret for HS*, or is an unsigned `none` token where `none` is explicitly allowed).
   * Keys offered by the token itself (`jwk`, `jku`, `x5u`, `x5c`) are never used or fetched.
   * And it does not refuse what it must accept: a genuine token with an allowed alg whose key can
   * be chosen verifies.
   *
   * The oracle of decryptJwe: it returns the plaintext only of a JWE made with one of the RP's keys
   * (or the client secret), unmodified, with the registered alg and enc.
   */
  const JWKS_URI = 'https://example.com/jwks.json';

  let op: KeyPairFixture;
  let op2: KeyPairFixture;
  let es: KeyPairFixture;
  let evil: KeyPairFixture;
  let pool: LabelledToken[];
  let jar: KeyJar;
  const fetched: string[] = [];

  before(async () => {
    [op, op2, es, evil] = await Promise.all([opSigningKey(), opSecondKey(), ecKey('op-es-1'), foreignKey()]);
    jar = new KeyJar({
      fetcher: async (uri) => {
        fetched.push(uri);
        return { keys: [op.publicJwk, op2.publicJwk, es.publicJwk] };
      },
    });
    jar.addIssuerJwks(ISSUER, { keys: [op.publicJwk, op2.publicJwk, es.publicJwk] });
    jar.setIssuerJwksUri(ISSUER, JWKS_URI);
    const claims = { iss: ISSUER, sub: 'user-1', iat: NOW };
    pool = [
      ...tokenFamily(claims, { op, evil, clientSecret: CLIENT_SECRET }),
      { label: 'OP second key', token: keyJws({ alg: 'RS256', kid: op2.kid }, claims, op2), genuine: true },
      { label: 'OP ES256', token: keyJws({ alg: 'ES256', kid: es.kid }, claims, es), genuine: true },
      { label: 'OP ES256 without kid', token: keyJws({ alg: 'ES256' }, claims, es), genuine: true },
      { label: 'OP ES256 under the RSA kid', token: keyJws({ alg: 'ES256', kid: op.kid }, claims, es), genuine: true },
      { label: 'RS256 signature under ES256', token: `${b64json({ alg: 'ES256', kid: es.kid })}.${keyJws({ alg: 'RS256' }, claims, op).split('.').slice(1).join('.')}`, genuine: false },
      { label: 'HS256 keyed with the ES256 public key JWK', token: hmacJws({ alg: 'HS256' }, claims, JSON.stringify(es.publicJwk)), genuine: false },
      { label: 'HS256 with the client secret and a kid', token: hmacJws({ alg: 'HS256', kid: op.kid }, claims, CLIENT_SECRET), genuine: true },
      { label: 'HS512 with the client secret', token: hmacJws({ alg: 'HS512' }, claims, CLIENT_SECRET), genuine: true },
      { label: 'HS256 over a huge payload', token: hmacJws({ alg: 'HS256' }, { ...claims, blob: 'x'.repeat(300_000) }, CLIENT_SECRET), genuine: true },
      { label: 'unsigned', token: noneJws(claims), genuine: false },
    ];
  });

  const utf8 = new TextDecoder('utf-8', { fatal: true });
  /** The JSON header of a token, if it has one (the oracle needs only small ones: huge ones are refused anyway). */
  const headerOf = (token: string): Record<string, unknown> | undefined => {
    try {
      const end = token.indexOf('.');
      if (end > 10_000 || (end < 0 && token.length > 10_000)) return undefined;
      const h = JSON.parse(utf8.decode(base64url.decode(end < 0 ? token : token.slice(0, end)))) as unknown;
      return isPlainObject(h) ? h : undefined;
    } catch {
      return undefined;
    }
  };

  // ---------------------------------------------------------------------------------------------

  /** Header parameters a hostile token may carry. */
  const hostileHeader = objectOf(fc.oneof(shallowWrongValue, fc.constantFrom('RS256', 'none', 'HS256', JWKS_URI, 'https://evil.example/jwks')), 3).chain((extra) =>
    fc.record({
      alg: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('RS256', 'ES256', 'HS256', 'PS256', 'RS512', 'HS512', 'none', 'None', 'EdDSA', 'ES256K', 'dir', 'RSA-OAEP', '') }, { weight: 1, arbitrary: shallowWrongValue }),
      kid: fc.oneof(fc.constantFrom('op-rs256-1', 'op-rs256-2', 'op-es-1', 'unknown', '', '../../etc/passwd'), shallowWrongValue, unprintable),
      crit: fc.oneof(fc.constantFrom<unknown>(['exp'], [], ['b64'], 'exp', [1], ['kid']), shallowWrongValue),
      jku: fc.constantFrom('https://evil.example/jwks', JWKS_URI, ''),
      x5u: fc.constantFrom('https://evil.example/cert.pem', ''),
      x5c: fc.constantFrom<unknown>([base64url.encode('not a certificate')], 'x', []),
      jwk: fc.constantFrom<unknown>({ kty: 'oct', k: base64url.encode(CLIENT_SECRET) }, { kty: 'RSA' }, 'x'),
      b64: fc.boolean(),
      typ: fc.constantFrom('JWT', 'at+jwt', 'logout+jwt'),
    }, { requiredKeys: [] }).map((h) => ({ ...extra, ...h })),
  );

  /** Tokens: from the pool, mangled, with a hostile header over a real payload and signature, or garbage. */
  function tokenArb(): fc.Arbitrary<string> {
    const fromPool = fc.nat().map((i) => pool[i % pool.length]!.token);
    return fc.oneof(
      { weight: 6, arbitrary: fromPool },
      { weight: 3, arbitrary: mutated(fromPool) },
      { weight: 3, arbitrary: fc.tuple(fromPool, hostileHeader).map(([t, h]) => `${b64json(h)}.${t.split('.').slice(1).join('.')}`) },
      { weight: 1, arbitrary: fc.tuple(hostileHeader, fc.oneof(objectOf(shallowWrongValue), fc.constant({ sub: 'x' })), randomPart).map(([h, p, s]) => `${b64json(h)}.${b64json(p)}.${s}`) },
      { weight: 1, arbitrary: fc.tuple(hostileHeader, fc.oneof(fc.constant({ sub: 'x' }), objectOf(shallowWrongValue))).map(([h, p]) => hmacJws(h, p, CLIENT_SECRET, 'HS256')) },
      { weight: 2, arbitrary: garbageToken },
      { weight: 1, arbitrary: sometimes(hugeString, 3).map((s) => s ?? '') },
    );
  }

  describe('decodeJws', () => {
    it('ends in the named ResponseError or the exact header, payload and signature', { timeout: TEST_TIMEOUT }, () => {
      const input = fc.oneof({ weight: 12, arbitrary: tokenArb() }, { weight: 1, arbitrary: fc.constantFrom<unknown>(null, undefined, 5, {}, ['a.b.c']) });
      const tally = new Tally();
      fc.assert(
        fc.property(input, fc.constantFrom(undefined, 'checkJwtFormat', 'checkLogoutToken'), (token, check) => {
          const outcome = tally.note(settleSync(() => decodeJws(token as string, check)));
          if (!outcome.accepted) {
            assert.equal(outcome.error.check, check ?? 'checkJwtFormat');
            assert.equal(outcome.error.name, 'ResponseError');
            return;
          }
          const parts = (token as string).split('.');
          assert.equal(parts.length, 3);
          const decode = (p: string) => JSON.parse(new TextDecoder().decode(base64url.decode(p))) as unknown;
          assert.ok(isPlainObject(outcome.value.header) && isPlainObject(outcome.value.payload));
          assert.ok(sameJson(outcome.value.header, decode(parts[0]!)), 'the header is not the decoded first part');
          assert.ok(sameJson(outcome.value.payload, decode(parts[1]!)), 'the payload is not the decoded second part');
          assert.equal(outcome.value.signature, parts[2]);
        }),
        syncParams(),
      );
      tally.expectAccepts(1000);
    });
  });

  describe('verifyJws', () => {
    const options = fc.record({
      allowedAlgs: fc.oneof(fc.constant<string[]>(["RS256", "ES256", "HS256", "HS512"]), fc.subarray<string>(['RS256', 'ES256', 'HS256', 'HS512', 'PS256', 'none'])),
      secret: fc.boolean(),
      allowNone: fc.boolean(),
      allowMissingKid: fc.boolean(),
    });

    it('accepts only tokens signed by a key in the jar (or the client secret), and every such token with an allowed alg', { timeout: TEST_TIMEOUT }, async () => {
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(tokenArb(), options, async (token, o) => {
          const outcome = tally.note(await settle(() => verifyJws(token, {
            issuer: ISSUER,
            keyJar: jar,
            allowedAlgs: o.allowedAlgs,
            clientSecret: o.secret ? CLIENT_SECRET : undefined,
            allowNone: o.allowNone,
            allowMissingKid: o.allowMissingKid,
            what: 'token',
          })));
          assert.ok(fetched.every((uri) => uri === JWKS_URI), `fetched keys from ${fetched.join(', ')}: a URL the token named`);
          const header = headerOf(token);
          if (outcome.accepted) {
            assert.ok(header, 'accepted a token without a JSON header');
            const alg = header['alg'];
            assert.ok(typeof alg === 'string' && o.allowedAlgs.includes(alg), `accepted alg ${String(alg)}, allowed ${o.allowedAlgs.join(',')}`);
            assert.equal(header['crit'], undefined, 'accepted a token with crit');
            if (alg === 'none') {
              assert.ok(o.allowNone, 'accepted none without allowNone');
              assert.equal(token.split('.')[2], '', 'accepted an unsigned token with a signature');
            } else if (alg.startsWith('HS')) {
              assert.ok(o.secret && reallySigned(token, alg, [], CLIENT_SECRET), `accepted an ${alg} token not signed with the client secret: ${label(token)}`);
            } else {
              assert.ok(reallySigned(token, alg, [op, op2, es]), `accepted a forgery: ${label(token)}`);
            }
            return;
          }
          // Completeness: an unmodified genuine token with an allowed alg and a choosable key verifies.
          const entry = pool.find((t) => t.token === token);
          if (!entry?.genuine || !header) return;
          const alg = String(header['alg']);
          const kid = header['kid'];
          const candidates = alg === 'RS256' ? 2 : alg === 'ES256' ? 1 : 0;
          const keyKnown = alg.startsWith('HS') ? o.secret : kid === undefined ? candidates === 1 || o.allowMissingKid : kid === op.kid ? alg === 'RS256' : kid === op2.kid ? alg === 'RS256' : kid === es.kid && alg === 'ES256';
          if (o.allowedAlgs.includes(alg) && keyKnown) assert.fail(`refused the genuine ${entry.label} with ${outcome.error.check}: ${outcome.error.message}`);
        }),
        params(),
      );
      tally.expectAccepts(300);
    });
  });

  function label(token: string): string {
    return pool.find((t) => t.token === token || signingInput(t.token) === signingInput(token))?.label ?? token.slice(0, 100);
  }

  // ---------------------------------------------------------------------------------------------

  describe('decryptJwe', () => {
    let rsa: KeyPairFixture;
    let ecPublic: CryptoKey;
    let decryptJar: KeyJar;
    /** Genuine JWEs: the plaintext, alg and enc of each. */
    const genuine = new Map<string, { plaintext: string; alg: string; enc: string }>();
    let forged: Array<{ label: string; token: string }>;

    before(async () => {
      rsa = await rpEncryptionKey();
      const ec = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
      const stranger = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
      ecPublic = ec.publicKey as CryptoKey;
      decryptJar = new KeyJar();
      await decryptJar.addOwnKey({ ...(await exportJWK(ec.privateKey)), kid: 'rp-ec', use: 'enc', alg: 'ECDH-ES' } as JsonWebKeyWithKid);
      await decryptJar.addOwnKey({ ...(await exportJWK(ec.privateKey)), kid: 'rp-ec-kw', use: 'enc', alg: 'ECDH-ES+A128KW' } as JsonWebKeyWithKid);
      await decryptJar.addOwnKey(rsa.privateJwk);
      const plaintext = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEifQ.';
      const add = async (alg: string, enc: string, key: CryptoKey | Uint8Array, header: Record<string, unknown> = {}) => {
        genuine.set(await jwe(plaintext, alg, enc, key, header), { plaintext, alg, enc });
      };
      await add('ECDH-ES', 'A128GCM', ecPublic, { kid: 'rp-ec' });
      await add('ECDH-ES', 'A256GCM', ecPublic);
      await add('ECDH-ES+A128KW', 'A128CBC-HS256', ecPublic, { kid: 'rp-ec-kw' });
      await add('RSA-OAEP', 'A128CBC-HS256', rsa.publicKey, { kid: rsa.kid });
      await add('dir', 'A128CBC-HS256', secretKey(CLIENT_SECRET, 256));
      await add('dir', 'A256GCM', secretKey(CLIENT_SECRET, 256));
      await add('dir', 'A128GCM', secretKey(CLIENT_SECRET, 128));
      await add('A128KW', 'A128GCM', secretKey(CLIENT_SECRET, 128));
      await add('A256KW', 'A256CBC-HS512', secretKey(CLIENT_SECRET, 256));
      await add('A128GCMKW', 'A128GCM', secretKey(CLIENT_SECRET, 128));
      const other = 'another secret';
      forged = [
        { label: 'dir with another secret', token: await jwe(plaintext, 'dir', 'A128CBC-HS256', secretKey(other, 256)) },
        { label: 'A128KW with another secret', token: await jwe(plaintext, 'A128KW', 'A128GCM', secretKey(other, 128)) },
        { label: 'ECDH-ES to a stranger', token: await jwe(plaintext, 'ECDH-ES', 'A128GCM', stranger.publicKey as CryptoKey, { kid: 'rp-ec' }) },
        { label: 'RSA-OAEP to the OP', token: await jwe(plaintext, 'RSA-OAEP', 'A128CBC-HS256', (await importJWK({ ...(await opSigningKey()).publicJwk, alg: 'RSA-OAEP', use: 'enc' }, 'RSA-OAEP')) as CryptoKey, { kid: rsa.kid }) },
        { label: 'dir keyed with the RP public key JWK', token: await jwe(plaintext, 'dir', 'A128CBC-HS256', secretKey(JSON.stringify(rsa.publicJwk), 256)) },
      ];
    });

    /** The JWE's parts re-encoded from the bytes they decode to (the protected header is taken verbatim: it is the AAD). */
    const canonical = (token: string): string => token.split('.').map((p, i) => (i === 0 ? p : Buffer.from(p.replace(/\s/g, ''), 'base64url').toString('base64url'))).join('.');

    type Expect = { alg: 'none' | 'same' | 'other'; enc: 'none' | 'same' | 'other' };
    const expectation = fc.record({ alg: fc.constantFrom('none', 'same', 'other'), enc: fc.constantFrom('none', 'same', 'other') }) as fc.Arbitrary<Expect>;

    function expected(choice: Expect, token: string): { expectedAlg?: string; expectedEnc?: string } {
      const h = headerOf(token) ?? {};
      const alg = typeof h['alg'] === 'string' ? h['alg'] : 'RSA-OAEP';
      const enc = typeof h['enc'] === 'string' ? h['enc'] : 'A128GCM';
      return {
        ...(choice.alg === 'none' ? {} : { expectedAlg: choice.alg === 'same' ? alg : alg === 'dir' ? 'A128KW' : 'dir' }),
        ...(choice.enc === 'none' ? {} : { expectedEnc: choice.enc === 'same' ? enc : enc === 'A128GCM' ? 'A256GCM' : 'A128GCM' }),
      };
    }

    async function judge(token: string, choice: Expect, secret: boolean, tally: Tally): Promise<void> {
      const expect = expected(choice, token);
      const outcome = tally.note(await settle(() => decryptJwe(token, { keyJar: decryptJar, clientSecret: secret ? CLIENT_SECRET : undefined, ...expect, what: 'token' })));
      const header = headerOf(token);
      if (outcome.accepted) {
        // Same bytes in every part (a base64url spelling that decodes to the same bytes is the same JWE).
        const known = genuine.get(token) ?? [...genuine].find(([t]) => canonical(t) === canonical(token))?.[1];
        assert.ok(known, `decrypted a JWE that is no unmodified genuine one: ${[...forged].find((f) => f.token === token)?.label ?? token.slice(0, 80)}`);
        assert.equal(outcome.value, known.plaintext);
        if (expect.expectedAlg !== undefined) assert.equal(header?.['alg'], expect.expectedAlg, 'decrypted with an alg other than the registered');
        if (expect.expectedEnc !== undefined) assert.equal(header?.['enc'], expect.expectedEnc, 'decrypted with an enc other than the registered');
        return;
      }
      const entry = genuine.get(token);
      if (entry && choice.alg !== 'other' && choice.enc !== 'other' && (secret || !/^(dir|A\d+(GCM)?KW)$/.test(entry.alg))) {
        assert.fail(`refused the genuine ${entry.alg}/${entry.enc} JWE with ${outcome.error.check}: ${outcome.error.message}`);
      }
    }

    it('malformed JWEs (header and shape level) end in a typed error', { timeout: TEST_TIMEOUT }, async () => {
      const jweHeader = objectOf(shallowWrongValue, 2).chain((extra) => fc.record({
        alg: fc.oneof(fc.constantFrom('dir', 'A128KW', 'A128GCMKW', 'ECDH-ES', 'ECDH-ES+A128KW', 'RSA-OAEP', 'RSA1_5', 'PBES2-HS256+A128KW', 'none', 'constructor', '__proto__', 'A999KW', 'dir '), shallowWrongValue),
        enc: fc.oneof(fc.constantFrom('A128GCM', 'A256GCM', 'A128CBC-HS256', 'A999GCM', 'constructor', 'toString', ''), shallowWrongValue),
        kid: fc.oneof(fc.constantFrom('rp-ec', 'rp-enc-1', 'x'), shallowWrongValue),
        epk: fc.constantFrom<unknown>({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }, { kty: 'OKP' }, 'x', null),
        zip: fc.constantFrom('DEF', 'x'),
        p2c: fc.constantFrom(1, 1e9, -1),
        p2s: fc.constantFrom('', 'AAAA'),
        crit: fc.constantFrom<unknown>(['exp'], 'x'),
      }, { requiredKeys: [] }).map((h) => ({ ...extra, ...h })));
      const malformed = fc.oneof(
        { weight: 6, arbitrary: fc.tuple(fc.nat(), jweHeader).map(([i, h]) => {
          const parts = [...genuine.keys()][i % genuine.size]!.split('.');
          parts[0] = b64json(h);
          return parts.join('.');
        }) },
        { weight: 6, arbitrary: fc.tuple(jweHeader, fc.array(randomPart, { minLength: 4, maxLength: 4 })).map(([h, rest]) => [b64json(h), ...rest].join('.')) },
        { weight: 6, arbitrary: mutated(fc.nat().map((i) => [...genuine.keys()][i % genuine.size]!)) },
        { weight: 6, arbitrary: garbageToken },
        { weight: 1, arbitrary: hugeString },
      );
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(malformed, expectation, fc.boolean(), async (token, choice, secret) => judge(token, choice, secret, tally)),
        params(),
      );
    });

    // Real decryption (ECDH, RSA-OAEP unwrapping, AES) on every run: CRYPTO_RUNS, as the issue allows.
    it('decrypts only genuine JWEs with the registered alg and enc, and every such JWE', { timeout: TEST_TIMEOUT }, async () => {
      const token = fc.oneof(
        { weight: 4, arbitrary: fc.nat().map((i) => [...genuine.keys()][i % genuine.size]!) },
        { weight: 2, arbitrary: fc.nat().map((i) => forged[i % forged.length]!.token) },
        { weight: 2, arbitrary: mutated(fc.nat().map((i) => [...genuine.keys()][i % genuine.size]!)) },
      );
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(token, expectation, fc.boolean(), async (t, choice, secret) => judge(t, choice, secret, tally)),
        params(CRYPTO_RUNS),
      );
      tally.expectAccepts(200);
    });
  });
});

describe('ID tokens', () => {
  /**
   * Properties of verifyIdToken: claims of every wrong type and value, signed on every run with the
   * client secret (HMAC costs microseconds, so 10,000 runs check the claims logic), the classic
   * forgeries of an RS256 token, and both wrapped in JWEs.
   *
   * The oracle recomputes every check of OpenID Connect Core 3.1.3.7 independently: an accepted ID
   * token was really signed (node:crypto, not jose), names the OP as issuer and this client as its
   * only audience, is unexpired, carries the expected nonce and hashes, and `auth_time` when asked.
   */
  const SKEW = 60;
  const hashOf = (value: string): string => createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');

  let op: KeyPairFixture;
  let evil: KeyPairFixture;
  let context: ServiceContext;
  let rpPublic: CryptoKey;
  /** RS256 tokens: genuine ones over a few claim sets, and the forgeries of each. */
  let pool: LabelledToken[];

  before(async () => {
    [op, evil] = await Promise.all([opSigningKey(), foreignKey()]);
    const rp = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
    rpPublic = rp.publicKey as CryptoKey;
    const rpJwk = { ...(await exportJWK(rp.privateKey)), kid: 'rp-enc-ec', use: 'enc', alg: 'ECDH-ES' } as JsonWebKeyWithKid;
    context = await makeContext({ config: { keys: { import: [rpJwk] } } });
    const good = { iss: ISSUER, sub: 'user-1', aud: CLIENT_ID, iat: NOW, exp: NOW + 3600, nonce: 'n-1', at_hash: hashOf('at-1'), c_hash: hashOf('code-1'), auth_time: NOW - 10 };
    pool = [
      ...tokenFamily(good, { op, evil, clientSecret: CLIENT_SECRET }),
      ...tokenFamily({ ...good, nonce: undefined, at_hash: undefined, c_hash: undefined }, { op, evil, clientSecret: CLIENT_SECRET }, { hmac: false }).filter((t) => t.genuine),
      { label: 'genuine RS384 (no key for it)', token: keyJws({ alg: 'RS384', kid: op.kid }, good, op), genuine: true },
    ];
  });

  // ---------------------------------------------------------------------------------------------

  const claims = messageOf({
    iss: mostly<unknown>(ISSUER, `${ISSUER}/`, 'https://evil.example', ''),
    sub: mostly<unknown>('user-1', '', 'x'.repeat(255), 'x'.repeat(256), ' '),
    aud: mostly<unknown>(CLIENT_ID, [CLIENT_ID], [CLIENT_ID, 'other'], [CLIENT_ID, CLIENT_ID], 'other', [], [CLIENT_ID, 5], ''),
    azp: mostly<unknown>(CLIENT_ID, 'other', ''),
    exp: mostly<unknown>(NOW + 3600, NOW, NOW - SKEW, NOW - SKEW + 1, NOW - 3600, '9999999999', 1e308, -1),
    iat: mostly<unknown>(NOW, NOW + SKEW, NOW + SKEW + 1, NOW - 86_400, 0, '0'),
    nbf: mostly<unknown>(NOW - 10, NOW + SKEW, NOW + SKEW + 1, '0'),
    nonce: mostly<unknown>('n-1', 'n-2', ''),
    at_hash: mostly<unknown>(hashOf('at-1'), hashOf('other'), ''),
    c_hash: mostly<unknown>(hashOf('code-1'), hashOf('other')),
    s_hash: mostly<unknown>(hashOf('state-1'), hashOf('other')),
    auth_time: mostly<unknown>(NOW - 10, NOW - 4000, NOW + 100, '0'),
    sid: fc.constant('sid-1'),
    acr: fc.constant('urn:mace:incommon:iap:silver'),
  }, { required: ['iss', 'sub', 'aud', 'exp', 'iat'], goodWeight: 10 });

  const expectations: fc.Arbitrary<IdTokenExpectations> = fc.record({
    source: fc.constantFrom('authorization', 'token', 'refresh'),
    nonce: fc.constantFrom(undefined, 'n-1'),
    maxAge: fc.constantFrom(undefined, 3600, 60, 0),
    accessToken: fc.constantFrom(undefined, 'at-1'),
    atHashRequired: fc.boolean(),
    code: fc.constantFrom(undefined, 'code-1'),
    cHashRequired: fc.boolean(),
    state: fc.constantFrom(undefined, 'state-1'),
  }, { requiredKeys: ['source'] }) as fc.Arbitrary<IdTokenExpectations>;

  type How =
    | { kind: 'hs256'; header: Record<string, unknown> }
    | { kind: 'pool'; index: number }
    | { kind: 'jwe'; index: number }
    | { kind: 'jwe-hs256' }
    | { kind: 'none' }
    | { kind: 'garbage'; token: string }
    | { kind: 'not a string'; value: unknown };
  const how: fc.Arbitrary<How> = fc.oneof(
    { weight: 12, arbitrary: fc.record({ kind: fc.constant('hs256' as const), header: fc.oneof({ weight: 6, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.record({ typ: fc.constantFrom('JWT', 'at+jwt'), kid: fc.oneof(fc.constant('k'), shallowWrongValue), crit: fc.constant(['exp']) }, { requiredKeys: [] }) }) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('pool' as const), index: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('jwe' as const), index: fc.nat() }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'jwe-hs256' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), token: garbageToken }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('not a string' as const), value: fc.oneof(shallowWrongValue, unprintable, hostileValue) }) },
  );

  /** The token to verify, and the JWS inside it (for the oracle). */
  async function tokenOf(c: Record<string, unknown>, h: How): Promise<{ token: unknown; jws: string | undefined }> {
    switch (h.kind) {
      case 'hs256': { const t = hmacJws({ alg: 'HS256', ...h.header }, c, CLIENT_SECRET); return { token: t, jws: t }; }
      case 'pool': { const t = pool[h.index % pool.length]!.token; return { token: t, jws: t }; }
      case 'jwe': { const t = pool[h.index % pool.length]!.token; return { token: await jwe(t, 'ECDH-ES', 'A128GCM', rpPublic, { cty: 'JWT' }), jws: t }; }
      case 'jwe-hs256': { const t = hmacJws({ alg: 'HS256' }, c, CLIENT_SECRET); return { token: await jwe(t, 'dir', 'A128CBC-HS256', secretKey(CLIENT_SECRET, 256), { cty: 'JWT' }), jws: t }; }
      case 'none': { const t = noneJws(c); return { token: t, jws: t }; }
      case 'garbage': return { token: h.token, jws: h.token };
      default: return { token: h.value, jws: undefined };
    }
  }

  const decodePart = (part: string): Record<string, unknown> => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

  describe('verifyIdToken', () => {
    it('malformed and mangled ID tokens (shape and header level) end in a typed error, never an accept of a forgery', { timeout: TEST_TIMEOUT }, async () => {
      const fromPool = fc.nat().map((i) => pool[i % pool.length]!.token);
      const token = fc.oneof(
        { weight: 4, arbitrary: mutated(fromPool) },
        { weight: 3, arbitrary: garbageToken },
        { weight: 2, arbitrary: fc.tuple(fromPool, objectOf(fc.oneof(shallowWrongValue, fc.constantFrom('RS256', 'HS256', 'none', 'dir', 'RSA-OAEP', 'A128GCM'))), fc.nat({ max: 4 })).map(([t, h, i]) => {
          // A hostile header over a real payload and signature, as three or five parts.
          const parts = t.split('.');
          return [b64json(h), ...parts.slice(1), ...(i === 0 ? [parts[2]!, parts[2]!] : [])].join('.');
        }) },
        { weight: 1, arbitrary: fc.oneof(shallowWrongValue, unprintable, hostileValue) },
      );
      await fc.assert(
        fc.asyncProperty(token, expectations, async (t, expect) => {
          const outcome = await settle(() => verifyIdToken(t, context, expect));
          if (!outcome.accepted) return;
          const jws = t as string;
          assert.ok(reallySigned(jws, outcome.value.alg, [op], CLIENT_SECRET), `accepted a mangled ID token: ${jws.slice(0, 100)}`);
        }),
        params(),
      );
    });

    it('ends in a typed error or a token the OP signed whose every claim checks out', { timeout: TEST_TIMEOUT }, async () => {
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(claims, how, expectations, async (c, h, expect) => {
          const { token, jws } = await tokenOf(c, h);
          const outcome = tally.note(await settle(() => verifyIdToken(token, context, expect)));
          if (!outcome.accepted) return;
          assert.equal(typeof jws, 'string');
          const [headerPart, payloadPart] = (jws as string).split('.') as [string, string];
          const header = decodePart(headerPart);
          const alg = String(header['alg']);
          assert.notEqual(alg, 'none', 'accepted an unsigned ID token');
          assert.equal(header['crit'], undefined, 'accepted an ID token with crit');
          assert.ok(reallySigned(jws as string, alg, [op], CLIENT_SECRET), `accepted an ID token not signed by the OP: ${pool.find((t) => t.token === jws)?.label ?? (jws as string).slice(0, 80)}`);
          const v = decodePart(payloadPart);
          assert.equal(outcome.value.alg, alg);
          assert.equal(v['iss'], ISSUER, 'accepted another issuer');
          assert.ok(typeof v['sub'] === 'string' && v['sub'].length > 0 && v['sub'].length <= 255, 'accepted a bad sub');
          const aud = typeof v['aud'] === 'string' ? [v['aud']] : v['aud'];
          assert.ok(Array.isArray(aud) && aud.length > 0 && aud.every((a) => a === CLIENT_ID), `accepted aud ${JSON.stringify(v['aud'])}`);
          if (v['azp'] !== undefined) assert.equal(v['azp'], CLIENT_ID, 'accepted another azp');
          if (Array.isArray(v['aud']) && v['aud'].length > 1) assert.notEqual(v['azp'], undefined, 'accepted several audiences without azp');
          assert.ok(typeof v['exp'] === 'number' && v['exp'] > NOW - SKEW, `accepted exp ${String(v['exp'])}`);
          assert.ok(typeof v['iat'] === 'number' && v['iat'] <= NOW + SKEW, `accepted iat ${String(v['iat'])}`);
          if (v['nbf'] !== undefined) assert.ok(typeof v['nbf'] === 'number' && v['nbf'] <= NOW + SKEW, `accepted nbf ${String(v['nbf'])}`);
          if (expect.source !== 'refresh' && expect.nonce !== undefined) assert.equal(v['nonce'], expect.nonce, 'accepted a wrong nonce');
          for (const [claim, value, required] of [['at_hash', expect.accessToken, expect.atHashRequired], ['c_hash', expect.code, expect.cHashRequired], ['s_hash', expect.state, false]] as const) {
            if (required) assert.notEqual(v[claim], undefined, `accepted without the required ${claim}`);
            if (value !== undefined && v[claim] !== undefined) assert.equal(v[claim], hashOf(value), `accepted a wrong ${claim}`);
          }
          if (expect.maxAge !== undefined) {
            assert.ok(typeof v['auth_time'] === 'number', 'accepted without auth_time though max_age was asked');
            assert.ok(NOW - SKEW <= v['auth_time'] + expect.maxAge, 'accepted an authentication older than max_age');
          }
          assert.ok(isPlainObject(outcome.value.claims));
        }),
        // SIGNED_RUNS: every run verifies a signature through jose (see _support.ts).
        params(SIGNED_RUNS),
      );
      tally.expectAccepts(150);
    });
  });
});

describe('back-channel logout', () => {
  /**
   * Properties of back-channel logout: verifyLogoutToken (claims of every wrong type and value,
   * signed with the client secret on every run, and the classic forgeries), and
   * handleBackChannelLogout (any content type, any form body, one or several logout_token
   * parameters).
   *
   * The oracle: a logout token is accepted only when it was really signed (checked with node:crypto,
   * not jose), never with `none`, and every claim of Back-Channel Logout 1.0, 2.6 checks out, its
   * `jti` unseen. A refused logout request ends no session; an accepted one ends only sessions of
   * the token's `sid` / `sub`.
   */
  const SKEW = 60;
  let op: KeyPairFixture;
  let evil: KeyPairFixture;
  let context: ServiceContext;
  let pool: LabelledToken[];
  let counter = 0;

  before(async () => {
    [op, evil] = await Promise.all([opSigningKey(), foreignKey()]);
    context = await makeContext();
    const good = { iss: ISSUER, aud: CLIENT_ID, iat: NOW, exp: NOW + 120, jti: 'pool-jti', events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, sid: 'sid-pool', sub: 'user-pool' };
    pool = tokenFamily(good, { op, evil, clientSecret: CLIENT_SECRET });
  });

  const events = fc.oneof(
    { weight: 8, arbitrary: fc.constant<unknown>({ [BACKCHANNEL_LOGOUT_EVENT]: {} }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>({ [BACKCHANNEL_LOGOUT_EVENT]: null }, { [BACKCHANNEL_LOGOUT_EVENT]: [] }, { [BACKCHANNEL_LOGOUT_EVENT]: 'x' }, { 'urn:other': {} }, [], {}, { [BACKCHANNEL_LOGOUT_EVENT]: { toString: 1 } }) },
    { weight: 1, arbitrary: objectOf(shallowWrongValue) },
  );

  /** Claims of a logout token; `jti` is made unique per run unless a repeated one is drawn. */
  const claims = messageOf({
    iss: mostly<unknown>(ISSUER, `${ISSUER}/`, 'https://evil.example'),
    aud: mostly<unknown>(CLIENT_ID, [CLIENT_ID], [CLIENT_ID, 'other'], 'other', []),
    iat: mostly<unknown>(NOW, NOW + SKEW + 1, NOW - 600, '0'),
    exp: mostly<unknown>(NOW + 120, NOW - SKEW, NOW - 600, '9999999999'),
    jti: mostly<unknown>('fresh', 'repeated', ''),
    events,
    sid: mostly<unknown>('sid-target', 'sid-other', ''),
    sub: mostly<unknown>('user-target', 'user-other'),
    nonce: fc.constant('n-1'),
  }, { required: ['iss', 'aud', 'iat', 'exp', 'jti', 'events'], goodWeight: 12 });

  function finish(c: Record<string, unknown>): Record<string, unknown> {
    const out = { ...c };
    if (out['jti'] === 'fresh') out['jti'] = `jti-${++counter}`;
    // A nonce is what turns an ID token into a logout token look-alike: keep it rare.
    if (out['nonce'] !== undefined && counter % 7 !== 0) delete out['nonce'];
    return out;
  }

  type How = { kind: 'hs256' | 'none' | 'pem' | 'jwk' | 'swap' | 'other secret' } | { kind: 'pool'; index: number } | { kind: 'garbage'; token: string } | { kind: 'value'; value: unknown };
  const how: fc.Arbitrary<How> = fc.oneof(
    { weight: 14, arbitrary: fc.constant({ kind: 'hs256' as const }) },
    { weight: 1, arbitrary: fc.constantFrom<How>({ kind: 'none' }, { kind: 'pem' }, { kind: 'jwk' }, { kind: 'swap' }, { kind: 'other secret' }) },
    { weight: 2, arbitrary: fc.nat().map((index): How => ({ kind: 'pool', index })) },
    { weight: 1, arbitrary: garbageToken.map((token): How => ({ kind: 'garbage', token })) },
    { weight: 1, arbitrary: fc.oneof(shallowWrongValue, unprintable, hostileValue).map((value): How => ({ kind: 'value', value })) },
  );

  function tokenOf(c: Record<string, unknown>, h: How): unknown {
    switch (h.kind) {
      case 'hs256': return hmacJws({ alg: 'HS256' }, c, CLIENT_SECRET);
      case 'none': return noneJws(c);
      case 'pem': return hmacJws({ alg: 'HS256', kid: op.kid }, c, op.publicPem);
      case 'jwk': return hmacJws({ alg: 'HS256' }, c, JSON.stringify(op.publicJwk));
      case 'other secret': return hmacJws({ alg: 'HS256' }, c, `${CLIENT_SECRET}!`);
      case 'swap': { const other = hmacJws({ alg: 'HS256' }, { ...c, sid: 'another' }, CLIENT_SECRET).split('.'); return `${other[0]}.${b64json(c)}.${other[2]}`; }
      case 'pool': return pool[h.index % pool.length]!.token;
      case 'garbage': return h.token;
      default: return h.value;
    }
  }

  const accepted = new Set<string>();

  /** Every check of Back-Channel Logout 1.0, 2.6, recomputed; fails the property when one does not hold. */
  function checkLogoutToken(token: string): Record<string, unknown> {
    const [h, p] = token.split('.') as [string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    const alg = String(header['alg']);
    assert.notEqual(alg, 'none', 'accepted an unsigned logout token');
    assert.ok(reallySigned(token, alg, [op], CLIENT_SECRET), `accepted a logout token not signed by the OP: ${pool.find((t) => t.token === token)?.label ?? token.slice(0, 80)}`);
    const c = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    assert.equal(c['iss'], ISSUER, 'accepted another issuer');
    const aud = typeof c['aud'] === 'string' ? [c['aud']] : c['aud'];
    assert.ok(Array.isArray(aud) && aud.length > 0 && aud.every((a) => a === CLIENT_ID), 'accepted another audience');
    assert.ok(typeof c['iat'] === 'number' && c['iat'] <= NOW + SKEW, 'accepted a bad iat');
    assert.ok(typeof c['exp'] === 'number' && c['exp'] > NOW - SKEW, 'accepted a bad or missing exp');
    const ev = c['events'];
    assert.ok(isPlainObject(ev) && isPlainObject(ev[BACKCHANNEL_LOGOUT_EVENT]), 'accepted without the logout event');
    assert.ok(c['sub'] !== undefined || c['sid'] !== undefined, 'accepted without sub and sid');
    for (const m of ['sub', 'sid']) if (c[m] !== undefined) assert.equal(typeof c[m], 'string', `accepted a non-string ${m}`);
    assert.equal(c['nonce'], undefined, 'accepted a logout token with a nonce');
    assert.ok(typeof c['jti'] === 'string' && c['jti'].length > 0, 'accepted without jti');
    assert.ok(!accepted.has(c['jti']), `accepted the jti ${c['jti']} twice (replay)`);
    accepted.add(c['jti']);
    return c;
  }

  /** Logout tokens mangled at the shape and header level: from the pool, garbage, or with a hostile header. */
  const mangledLogoutToken = (): fc.Arbitrary<unknown> => {
    const fromPool = fc.nat().map((i) => pool[i % pool.length]!.token);
    return fc.oneof(
      { weight: 4, arbitrary: mutated(fromPool) },
      { weight: 3, arbitrary: garbageToken },
      { weight: 2, arbitrary: fc.tuple(fromPool, objectOf(fc.oneof(shallowWrongValue, fc.constantFrom('RS256', 'HS256', 'none')))).map(([t, h]) => `${b64json(h)}.${t.split('.').slice(1).join('.')}`) },
      { weight: 1, arbitrary: fc.oneof({ weight: 4, arbitrary: shallowWrongValue }, { weight: 2, arbitrary: unprintable }, { weight: 1, arbitrary: hostileValue }) },
    );
  };

  describe('verifyLogoutToken', () => {
    it('malformed and mangled logout tokens (shape and header level) end in a typed error, never an accept of a forgery', { timeout: TEST_TIMEOUT }, async () => {
      await fc.assert(
        fc.asyncProperty(mangledLogoutToken(), async (token) => {
          const outcome = await settle(() => verifyLogoutToken(token as string, context));
          if (outcome.accepted) checkLogoutToken(token as string);
        }),
        params(),
      );
    });

    it('ends in a typed error or a genuine, valid, unreplayed logout token', { timeout: TEST_TIMEOUT }, async () => {
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(claims, how, async (drawn, h) => {
          const token = tokenOf(finish(drawn), h);
          const outcome = tally.note(await settle(() => verifyLogoutToken(token as string, context)));
          if (outcome.accepted) checkLogoutToken(token as string);
        }),
        // SIGNED_RUNS: every run verifies a signature through jose (see _support.ts).
        params(SIGNED_RUNS),
      );
      tally.expectAccepts(200);
    });
  });

  describe('handleBackChannelLogout', () => {
    const request = fc.record({
      contentType: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'APPLICATION/X-WWW-FORM-URLENCODED') }, { weight: 2, arbitrary: fc.constantFrom(undefined, ...CONTENT_TYPES) }),
      tokens: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, 2) }),
      extra: fc.array(fc.tuple(fc.oneof(anyKey, fc.constantFrom('logout_token', 'state')), fc.string({ maxLength: 6 })), { maxLength: 2 }),
      raw: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('logout_token', 'logout_token=', '=&=&', 'logout_token=%', 'logout_token=%E0%A4%A')) }),
    });

    it('malformed requests (content types, form bodies, mangled tokens) get a 400 with a typed error and end nothing', { timeout: TEST_TIMEOUT }, async () => {
      const body = fc.oneof(
        { weight: 4, arbitrary: fc.tuple(request, mangledLogoutToken()).map(([req, token]) => {
          const form = new URLSearchParams(req.extra.filter(([k]) => k !== 'logout_token'));
          for (let i = 0; i < req.tokens; i++) form.append('logout_token', typeof token === 'string' ? token : stringify(token));
          return { body: req.raw ?? form.toString(), contentType: req.contentType };
        }) },
        { weight: 1, arbitrary: fc.record({ body: fc.oneof({ weight: 6, arbitrary: fc.string({ maxLength: 60 }) }, { weight: 3, arbitrary: fc.constantFrom('logout_token=a.b.c&logout_token=a.b.c', 'logout_token=%FF', '%') }, { weight: 1, arbitrary: hugeString }), contentType: fc.constantFrom(undefined, ...CONTENT_TYPES) }) },
      );
      const bystander = await context.stateDb.createState(ISSUER);
      await fc.assert(
        fc.asyncProperty(body, async ({ body: text, contentType }) => {
          const outcome = await settle(() => handleBackChannelLogout(context, text, contentType));
          assert.ok(outcome.accepted, 'handleBackChannelLogout must answer, not throw');
          const result = outcome.value;
          if (result.status === 400) {
            assert.ok(result.error instanceof OidcError && result.error.check.length > 0, 'a 400 carries a typed error');
            assert.deepEqual(result.endedSessions, []);
          } else {
            checkLogoutToken(new URLSearchParams(text).get('logout_token')!);
          }
          assert.ok(await context.stateDb.hasState(bystander), 'a logout ended a session it does not name');
        }),
        params(),
      );
    });

    it('answers 400 and ends nothing for anything but a genuine valid token; 200 ends only that user\'s sessions', { timeout: TEST_TIMEOUT }, async () => {
      const tally = new Tally();
      const db = context.stateDb;
      /** The session the tokens aim at (sid-target, user-target), made afresh once a logout ended it. */
      const makeTarget = async (): Promise<string> => {
        const state = await db.createState(ISSUER);
        await db.storeItem({ verified_id_token: { iss: ISSUER, sub: 'user-target', sid: 'sid-target' } }, 'token_response', state);
        await db.storeSid2State('sid-target', state);
        await db.storeSub2State('user-target', state);
        return state;
      };
      let target = await makeTarget();
      // A bystander: the session of a user no generated token names, which no logout here may end.
      const bystander = await db.createState(ISSUER);
      await db.storeItem({ verified_id_token: { iss: ISSUER, sub: 'user-bystander', sid: 'sid-bystander' } }, 'token_response', bystander);
      await db.storeSid2State('sid-bystander', bystander);
      await db.storeSub2State('user-bystander', bystander);
      await fc.assert(
        fc.asyncProperty(claims, how, request, async (drawn, h, req) => {
          const token = tokenOf(finish(drawn), h);
          const form = new URLSearchParams(req.extra.filter(([k]) => k !== 'logout_token'));
          for (let i = 0; i < req.tokens; i++) form.append('logout_token', typeof token === 'string' ? token : stringify(token));
          const body = req.raw ?? form.toString();
          const outcome = await settle(() => handleBackChannelLogout(context, body, req.contentType));
          assert.ok(outcome.accepted, 'handleBackChannelLogout must answer, not throw');
          const result = outcome.value;
          tally.note(result.status === 200 ? { accepted: true, value: result } : { accepted: false, error: result.error! });
          assert.ok(await db.hasState(bystander), 'ended the session of a bystander');
          if (result.status === 400) {
            assert.ok(result.error instanceof OidcError && result.error.check.length > 0, 'a 400 carries a typed error');
            assert.deepEqual(result.endedSessions, []);
            assert.ok(await db.hasState(target), 'a refused logout ended a session');
            return;
          }
          assert.equal(result.status, 200);
          assert.equal(typeof token, 'string');
          const c = checkLogoutToken(token as string);
          for (const ended of result.endedSessions) assert.equal(ended, target, 'ended a session the token does not name');
          const aimed = (c['sid'] === 'sid-target' && (c['sub'] === undefined || c['sub'] === 'user-target')) || (c['sid'] === undefined && c['sub'] === 'user-target');
          if (aimed) assert.deepEqual(result.endedSessions, [target], 'a valid logout for the session did not end it');
          else assert.deepEqual(result.endedSessions, [], 'ended a session of another sid or sub');
          if (result.endedSessions.length > 0) {
            assert.ok(!(await db.hasState(target)), 'a session reported ended still exists');
            target = await makeTarget();
          }
        }),
        // SIGNED_RUNS: every run verifies a signature through jose (see _support.ts).
        params(SIGNED_RUNS),
      );
      tally.expectAccepts(120);
    });
  });
});

/**
 * Properties of the parsers of token-bearing responses: AccessToken, RefreshAccessToken, CheckID,
 * UserInfo (JSON, JWS, JWE) and DistributedClaims. Each part says its oracle.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { type ServiceContext, type JsonWebKeyWithKid } from '../../src/index.js';
import { AccessToken } from '../../src/services/access-token.js';
import { Authorization } from '../../src/services/authorization.js';
import { CheckID } from '../../src/services/check-id.js';
import { DistributedClaims } from '../../src/services/distributed-claims.js';
import { RefreshAccessToken } from '../../src/services/refresh-access-token.js';
import { UserInfo } from '../../src/services/userinfo.js';
import { CLIENT_ID, CLIENT_SECRET, ISSUER, makeContext, NOW } from '../fixtures/context.js';
import { foreignKey, opSigningKey, type KeyPairFixture } from '../fixtures/keys.js';
import { anyKey, garbageToken, httpResponseOf, inputFrom, inputShape, messageOf, mostly, notAnInput, objectOf, shallowWrongValue, sometimes, someUrl, stringify } from './_arbitraries.js';
import { genuineInputs, hmacJws, jwe, keyJws, noneJws, signingInput, tokenFamily, type LabelledToken } from './_jwt.js';
import { containsText, isPlainObject, params, settle, Tally, TEST_TIMEOUT, settleOrMisuse } from './_support.js';

describe('token endpoint and check ID', () => {
  /**
   * Properties of the token endpoint parsers (AccessToken, RefreshAccessToken) and of CheckID.
   *
   * The oracle: an accepted token response has typed members, belongs to a session of this RP
   * (the `state` the caller names), and carries an ID token only when the OP's key or the client
   * secret signed that very token, for that session's nonce, issuer, audience and subject.
   */
  const ACCESS_TOKEN = 'access-token-1';
  const halfHash = (value: string): string => createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');

  interface Session {
    state: string;
    nonce: string | undefined;
    /** The `sub` of the session's earlier ID token, if it has one. */
    sub: string | undefined;
    tokens: LabelledToken[];
    genuine: Set<string>;
    /** Genuine tokens with claims that pass every check. */
    good: string[];
  }

  let op: KeyPairFixture;
  let evil: KeyPairFixture;
  let context: ServiceContext;
  /** Code-flow sessions: two fresh, one whose authorization response already carried an ID token for user-1. */
  let codeSessions: Session[];
  /** Sessions with a token response (for refresh and check ID), ID token for user-1. */
  let loggedIn: Session[];
  let foreignState: string;

  function claims(nonce: string | undefined, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const c: Record<string, unknown> = { iss: ISSUER, sub: 'user-1', aud: CLIENT_ID, iat: NOW, exp: NOW + 3600, at_hash: halfHash(ACCESS_TOKEN), ...overrides };
    if (nonce !== undefined) c['nonce'] = nonce;
    return c;
  }

  function poolFor(nonce: string | undefined): LabelledToken[] {
    const signers = { op, evil, clientSecret: CLIENT_SECRET };
    const hs = (label: string, c: Record<string, unknown>): LabelledToken => ({ label, token: hmacJws({ alg: 'HS256' }, c, CLIENT_SECRET), genuine: true });
    return [
      ...tokenFamily(claims(nonce), signers),
      hs('genuine, another subject', claims(nonce, { sub: 'user-2' })),
      hs('genuine, wrong nonce', claims('another-nonce')),
      hs('genuine, no nonce', claims(undefined)),
      hs('genuine, wrong at_hash', claims(nonce, { at_hash: halfHash('other') })),
      hs('genuine, other issuer', claims(nonce, { iss: 'https://evil.example' })),
      hs('genuine, untrusted second audience', claims(nonce, { aud: [CLIENT_ID, 'other'], azp: CLIENT_ID })),
      hs('genuine, expired', claims(nonce, { exp: NOW - 3600, iat: NOW - 7200 })),
      hs('genuine, issued in the future', claims(nonce, { iat: NOW + 3600, exp: NOW + 7200 })),
      { label: 'genuine RS256, another subject', token: keyJws({ alg: 'RS256', kid: op.kid }, claims(nonce, { sub: 'user-2' }), op), genuine: true },
    ];
  }

  /** The genuine tokens of a family whose claims are right (the others are labelled "genuine, ..."). */
  const goodOf = (tokens: LabelledToken[]): string[] => tokens.filter((t) => t.genuine && !t.label.startsWith('genuine')).map((t) => t.token);

  before(async () => {
    [op, evil] = await Promise.all([opSigningKey(), foreignKey()]);
    context = await makeContext();
    const authorization = new Authorization(context);
    codeSessions = [];
    for (let i = 0; i < 3; i++) {
      const nonce = `nonce-${i}`;
      const { state } = await authorization.getRequestParameters({ response_type: 'code', nonce, pkce: false });
      let sub: string | undefined;
      if (i === 2) {
        sub = 'user-1';
        await context.stateDb.storeItem({ state, code: 'c', verified_id_token: { iss: ISSUER, sub } }, 'auth_response', state);
      }
      const tokens = poolFor(nonce);
      codeSessions.push({ state, nonce, sub, tokens, genuine: genuineInputs(tokens), good: goodOf(tokens) });
    }
    loggedIn = [];
    for (let i = 0; i < 2; i++) {
      const { state } = await authorization.getRequestParameters({ response_type: 'code', nonce: `n-${i}`, pkce: false });
      await context.stateDb.storeItem({ access_token: 'at', token_type: 'Bearer', id_token: 'x.y.z', verified_id_token: { iss: ISSUER, sub: 'user-1', aud: CLIENT_ID } }, 'token_response', state);
      const tokens = poolFor(undefined);
      loggedIn.push({ state, nonce: undefined, sub: 'user-1', tokens, genuine: genuineInputs(tokens), good: goodOf(tokens) });
    }
    const foreign = await makeContext();
    foreignState = (await new Authorization(foreign).getRequestParameters({ pkce: false })).state;
  });

  // ---------------------------------------------------------------------------------------------

  type StateChoice = 'own' | 'other' | 'foreign' | 'random' | 'none';
  const stateChoice = fc.oneof(
    { weight: 12, arbitrary: fc.constant<StateChoice>('own') },
    { weight: 1, arbitrary: fc.constantFrom<StateChoice>('other', 'foreign', 'random', 'none') },
  );
  function stateFor(choice: StateChoice, index: number, sessions: Session[]): string | undefined {
    switch (choice) {
      case 'own': return sessions[index]!.state;
      case 'other': return sessions[(index + 1) % sessions.length]!.state;
      case 'foreign': return foreignState;
      case 'random': return 'not-a-session';
      default: return undefined;
    }
  }

  type TokenChoice = { kind: 'good' | 'pool' | 'other pool' | 'mangled' | 'absent' } | { kind: 'garbage'; token: string };
  const tokenChoice: fc.Arbitrary<TokenChoice> = fc.oneof(
    { weight: 8, arbitrary: fc.constant({ kind: 'good' as const }) },
    { weight: 12, arbitrary: fc.constant({ kind: 'pool' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'other pool' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'mangled' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'absent' as const }) },
    { weight: 2, arbitrary: garbageToken.map((token) => ({ kind: 'garbage' as const, token })) },
    { weight: 1, arbitrary: shallowWrongValue.map((token) => ({ kind: 'garbage' as const, token: token as string })) },
  );

  function tokenFor(choice: TokenChoice, pick: number, sessions: Session[], index: number): unknown {
    const pool = sessions[index]!.tokens;
    switch (choice.kind) {
      case 'good': { const good = sessions[index]!.good; return good[pick % good.length]; }
      case 'pool': return pool[pick % pool.length]!.token;
      case 'other pool': { const other = sessions[(index + 1) % sessions.length]!.tokens; return other[pick % other.length]!.token; }
      case 'mangled': { const t = pool[pick % pool.length]!.token; const i = pick % t.length; return `${t.slice(0, i)}${t[i] === 'A' ? 'B' : 'A'}${t.slice(i + 1)}`; }
      case 'absent': return undefined;
      default: return choice.token;
    }
  }

  const tokenMembers = messageOf({
    access_token: mostly(ACCESS_TOKEN, 'another-access-token', ''),
    token_type: mostly('Bearer', 'bearer', 'DPoP', ''),
    expires_in: mostly<unknown>(3600, '3600', 0, -1, 1.5, '1.5', '', ' 3600', '0x10', 1e300),
    refresh_token: mostly('refresh-1', ''),
    scope: fc.constantFrom('openid', 'openid profile'),
  }, { required: ['access_token', 'token_type'], goodWeight: 10 });

  const errorMembers = sometimes(fc.record({ error: fc.constantFrom<unknown>('invalid_grant', '', 42, null), error_description: fc.constantFrom<unknown>('expired', 7) }, { requiredKeys: ['error'] }), 15);
  const draw = fc.record({ session: fc.nat(), pick: fc.nat(), state: stateChoice, token: tokenChoice, members: tokenMembers, error: errorMembers });
  type Draw = typeof draw extends fc.Arbitrary<infer T> ? T : never;

  const shape = inputShape();

  function messageFor(d: Draw, sessions: Session[]): { message: Record<string, unknown>; index: number; state: string | undefined } {
    const index = d.session % sessions.length;
    const idToken = tokenFor(d.token, d.pick, sessions, index);
    const message = { ...d.members, ...(idToken === undefined ? {} : { id_token: idToken }), ...d.error };
    return { message, index, state: stateFor(d.state, index, sessions) };
  }

  /** What every accepted token response satisfies. */
  function checkTokenMembers(value: Record<string, unknown>): void {
    for (const name of ['access_token', 'token_type']) assert.ok(typeof value[name] === 'string' && (value[name] as string).length > 0, `accepted without ${name}`);
    for (const name of ['refresh_token', 'scope', 'id_token']) if (value[name] !== undefined) assert.equal(typeof value[name], 'string', `accepted a mistyped ${name}`);
    if (value['expires_in'] !== undefined) assert.ok(typeof value['expires_in'] === 'number' && Number.isFinite(value['expires_in']) && value['expires_in'] >= 0, `accepted expires_in ${String(value['expires_in'])}`);
    assert.equal(value['error'], undefined, 'accepted an error response');
  }

  function checkIdToken(value: Record<string, unknown>, session: Session, nonce: string | undefined): void {
    const idToken = value['id_token'] as string;
    assert.ok(session.genuine.has(signingInput(idToken)), `accepted an ID token the OP did not sign: ${session.tokens.find((t) => signingInput(t.token) === signingInput(idToken))?.label ?? idToken.slice(0, 60)}`);
    const claims = value['verified_id_token'];
    assert.ok(isPlainObject(claims), 'an accepted ID token has verified claims');
    assert.equal(claims['iss'], ISSUER);
    assert.ok(claims['aud'] === CLIENT_ID || (Array.isArray(claims['aud']) && claims['aud'].every((a) => a === CLIENT_ID)), 'accepted an ID token for another audience');
    assert.ok(typeof claims['exp'] === 'number' && claims['exp'] > NOW - 60, 'accepted an expired ID token');
    assert.ok(typeof claims['iat'] === 'number' && claims['iat'] <= NOW + 60, 'accepted an ID token issued in the future');
    if (nonce !== undefined) assert.equal(claims['nonce'], nonce, 'accepted another session\'s nonce');
    if (claims['at_hash'] !== undefined) assert.equal(claims['at_hash'], halfHash(String(value['access_token'])), 'accepted a wrong at_hash');
    if (session.sub !== undefined) assert.equal(claims['sub'], session.sub, 'accepted an ID token about another subject');
  }

  // ---------------------------------------------------------------------------------------------

  describe('AccessToken.parseResponse', () => {
    it('ends in a typed error or a typed token response with a genuine ID token of the named session', { timeout: TEST_TIMEOUT }, async () => {
      const service = new AccessToken(context);
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(draw, shape, async (d, how) => {
          const { message, state } = messageFor(d, codeSessions);
          const settled = await settleOrMisuse(() => service.parseResponse(inputFrom(message, how) as never, { state }));
          if (settled === 'caller misuse') {
            assert.equal(state, undefined, 'a TypeError about the state, though the caller gave one');
            return;
          }
          const outcome = tally.note(settled);
          if (!outcome.accepted) return;
          const value = outcome.value;
          checkTokenMembers(value);
          const session = codeSessions.find((s) => s.state === state);
          assert.ok(session, `accepted a token response for state ${String(state)}, which is no session of this RP`);
          assert.equal(typeof value.id_token, 'string', 'an OpenID Connect code exchange must bring an ID token');
          checkIdToken(value, session, session.nonce);
        }),
        params(),
      );
      tally.expectAccepts(200);
    });
  });

  describe('RefreshAccessToken.parseResponse', () => {
    it('ends in a typed error or a typed response whose new ID token is genuine and about the same user', { timeout: TEST_TIMEOUT }, async () => {
      const service = new RefreshAccessToken(context);
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(draw, shape, async (d, how) => {
          const { message, state } = messageFor(d, loggedIn);
          const settled = await settleOrMisuse(() => service.parseResponse(inputFrom(message, how) as never, { state }));
          if (settled === 'caller misuse') {
            assert.equal(state, undefined, 'a TypeError about the state, though the caller gave one');
            return;
          }
          const outcome = tally.note(settled);
          if (!outcome.accepted) return;
          const value = outcome.value;
          checkTokenMembers(value);
          if (value.id_token === undefined) return;
          const session = loggedIn.find((s) => s.state === state);
          assert.ok(session, `accepted a refreshed ID token for state ${String(state)}, which is no session of this RP`);
          checkIdToken(value, session, undefined);
        }),
        params(),
      );
      tally.expectAccepts(200);
    });
  });

  describe('CheckID.parseResponse', () => {
    const checkIdMessage = messageOf({
      iss: mostly(ISSUER, `${ISSUER}/`, 'https://evil.example'),
      aud: mostly<unknown>(CLIENT_ID, [CLIENT_ID], [CLIENT_ID, 'other'], 'other', [], ''),
      exp: mostly<unknown>(NOW + 3600, NOW - 3600, NOW, NOW + 61, NOW - 59, Number.MAX_VALUE, '9999999999'),
      sub: mostly('user-1', 'user-2', ''),
      iat: fc.constantFrom(NOW, NOW + 3600),
      azp: fc.constantFrom(CLIENT_ID, 'other'),
    }, { required: ['iss', 'aud', 'exp', 'sub'], goodWeight: 5 });

    it('ends in a typed error or claims about this client, unexpired, about the session\'s user', { timeout: TEST_TIMEOUT }, async () => {
      const service = new CheckID(context);
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(checkIdMessage, shape, fc.nat(), stateChoice, async (message, how, index, choice) => {
          const state = stateFor(choice, index % loggedIn.length, loggedIn);
          const outcome = tally.note(await settle(() => service.parseResponse(inputFrom(message, how) as never, { state })));
          if (!outcome.accepted) return;
          const value = outcome.value;
          assert.equal(value['iss'], ISSUER, 'accepted another issuer');
          const aud = value['aud'];
          assert.ok(aud === CLIENT_ID || (Array.isArray(aud) && aud.includes(CLIENT_ID) && aud.every((a) => a === CLIENT_ID)), `accepted aud ${JSON.stringify(aud)}`);
          assert.ok(typeof value['exp'] === 'number' && value['exp'] > NOW - 60, `accepted exp ${String(value['exp'])}`);
          if (state !== undefined) {
            assert.ok(loggedIn.some((s) => s.state === state), 'accepted for a state that is no session');
            assert.equal(value['sub'], 'user-1', 'accepted claims about another user');
          }
        }),
        params(),
      );
      tally.expectAccepts(200);
    });
  });
});

describe('userinfo and distributed claims', () => {
  /**
   * Properties of the userinfo parser (plain JSON with aggregated and distributed claims; a signed,
   * encrypted, or signed-then-encrypted JWT) and of the distributed claims parser.
   *
   * The oracle: an accepted userinfo response is about the session's user; claims that reach the
   * RP through a JWT (the whole response, or an aggregated claims source) come only from a JWT the
   * OP's key (or, where allowed, the client secret) signed; a client that registered a signed
   * userinfo response never accepts claims nobody signed.
   */
  const GENUINE_EMAIL = 'genuine@example.com';
  const FORGED_EMAIL = 'forged@evil.example';

  let op: KeyPairFixture;
  let evil: KeyPairFixture;
  /** No signed or encrypted userinfo registered: JSON, JWS (RS256, HS256) and JWE all acceptable. */
  let plain: ServiceContext;
  /** Registered `userinfo_signed_response_alg: RS256` and ECDH-ES encryption: only OP-signed claims. */
  let signed: ServiceContext;
  let plainState: string;
  let signedState: string;

  /** Userinfo JWTs: genuine and forged JWS, and JWEs wrapping them, with what each context may accept. */
  interface UserinfoToken {
    label: string;
    token: string;
    acceptable: { plain: boolean; signed: boolean };
  }
  let userinfoTokens: UserinfoToken[];
  /** Aggregated-claims JWTs: genuine ones carry GENUINE_EMAIL, forged ones FORGED_EMAIL. */
  let aggregated: LabelledToken[];

  async function sessionWithUser(context: ServiceContext): Promise<string> {
    const state = await context.stateDb.createState(ISSUER);
    await context.stateDb.storeItem({ access_token: 'at', token_type: 'Bearer', verified_id_token: { iss: ISSUER, sub: 'user-1', aud: CLIENT_ID } }, 'token_response', state);
    return state;
  }

  before(async () => {
    [op, evil] = await Promise.all([opSigningKey(), foreignKey()]);
    const rp = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
    const stranger = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
    const rpJwk = { ...(await exportJWK(rp.privateKey)), kid: 'rp-enc-ec', use: 'enc', alg: 'ECDH-ES' } as JsonWebKeyWithKid;
    const keys = { import: [rpJwk] };
    plain = await makeContext({ config: { keys } });
    signed = await makeContext({ config: { keys }, behaviour: { userinfo_signed_response_alg: 'RS256', userinfo_encrypted_response_alg: 'ECDH-ES', userinfo_encrypted_response_enc: 'A128GCM' } });
    plainState = await sessionWithUser(plain);
    signedState = await sessionWithUser(signed);

    const signers = { op, evil, clientSecret: CLIENT_SECRET };
    const claims = { sub: 'user-1', iss: ISSUER, aud: CLIENT_ID, email: GENUINE_EMAIL };
    const family = [
      ...tokenFamily(claims, signers),
      { label: 'genuine, another user', token: keyJws({ alg: 'RS256', kid: op.kid }, { ...claims, sub: 'user-2' }, op), genuine: true },
      { label: 'genuine, another issuer', token: keyJws({ alg: 'RS256', kid: op.kid }, { ...claims, iss: 'https://evil.example' }, op), genuine: true },
      { label: 'genuine, another audience', token: keyJws({ alg: 'RS256', kid: op.kid }, { ...claims, aud: 'other' }, op), genuine: true },
      { label: 'genuine, no iss or aud', token: keyJws({ alg: 'RS256', kid: op.kid }, { sub: 'user-1' }, op), genuine: true },
      { label: 'genuine, sub not a string', token: keyJws({ alg: 'RS256', kid: op.kid }, { sub: 1 }, op), genuine: true },
    ];
    const isRs256 = (t: LabelledToken): boolean => t.genuine && !t.label.startsWith('HS256');
    userinfoTokens = family.map((t) => ({ label: t.label, token: t.token, acceptable: { plain: t.genuine, signed: isRs256(t) } }));
    const rpPublic = rp.publicKey as CryptoKey;
    const enc = (text: string, key: CryptoKey = rpPublic, header: Record<string, unknown> = { kid: 'rp-enc-ec', cty: 'JWT' }) => jwe(text, 'ECDH-ES', 'A128GCM', key, header);
    const genuineRs = family.find((t) => t.label === 'OP RS256 with kid')!.token;
    const hs = family.find((t) => t.label === 'HS256 with the client secret')!.token;
    const forged = family.find((t) => t.label === 'attacker key under the OP kid')!.token;
    const keyConfusion = family.find((t) => t.label === 'HS256 keyed with the OP public key (PEM)')!.token;
    userinfoTokens.push(
      { label: 'JWE(genuine RS256)', token: await enc(genuineRs), acceptable: { plain: true, signed: true } },
      { label: 'JWE(genuine HS256)', token: await enc(hs), acceptable: { plain: true, signed: false } },
      { label: 'JWE(attacker-signed)', token: await enc(forged), acceptable: { plain: false, signed: false } },
      { label: 'JWE(key confusion HS256)', token: await enc(keyConfusion), acceptable: { plain: false, signed: false } },
      { label: 'JWE(alg none)', token: await enc(noneJws(claims)), acceptable: { plain: false, signed: false } },
      // Anyone can encrypt to the RP's public key: unsigned JSON inside is no better than plain JSON,
      // which a client that registered a signed response must refuse.
      { label: 'JWE(unsigned JSON)', token: await enc(JSON.stringify(claims), rpPublic, { kid: 'rp-enc-ec' }), acceptable: { plain: true, signed: false } },
      { label: 'JWE to a stranger\'s key', token: await enc(genuineRs, stranger.publicKey as CryptoKey), acceptable: { plain: false, signed: false } },
      { label: 'JWE(genuine RS256), another enc', token: await jwe(genuineRs, 'ECDH-ES', 'A256GCM', rpPublic, { kid: 'rp-enc-ec', cty: 'JWT' }), acceptable: { plain: true, signed: false } },
      { label: 'JWE with dir and a key derived from the client secret', token: await jwe(genuineRs, 'dir', 'A256GCM', new Uint8Array(32)), acceptable: { plain: false, signed: false } },
    );

    const forgedClaims = { iss: ISSUER, email: FORGED_EMAIL, sub: 'user-1' };
    aggregated = [
      ...tokenFamily({ iss: ISSUER, email: GENUINE_EMAIL }, signers).filter((t) => t.genuine),
      ...tokenFamily(forgedClaims, signers).filter((t) => !t.genuine),
      { label: 'genuine from an unknown issuer', token: keyJws({ alg: 'RS256', kid: op.kid }, { iss: 'https://unknown.example', email: FORGED_EMAIL }, op), genuine: false },
    ];
  });

  // ---------------------------------------------------------------------------------------------

  type Pick = { kind: 'pool'; index: number } | { kind: 'mangled'; index: number; at: number } | { kind: 'garbage'; garbage: string };
  const tokenPick: fc.Arbitrary<Pick> = fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('pool' as const), index: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('mangled' as const), index: fc.nat(), at: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), garbage: garbageToken }) },
  );

  function mangle(token: string, at: number): string {
    const i = at % token.length;
    switch (at % 4) {
      case 0: return token.slice(0, i);
      case 1: return `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
      case 2: return `${token}.x`;
      default: return token.replace('.', '..');
    }
  }

  function chosen<T extends { token: string }>(pool: T[], pick: Pick): { token: string; entry: T | undefined } {
    if (pick.kind === 'garbage') return { token: pick.garbage, entry: undefined };
    const entry = pool[pick.index % pool.length]!;
    return pick.kind === 'pool' ? { token: entry.token, entry } : { token: mangle(entry.token, pick.at), entry: undefined };
  }

  // ---------------------------------------------------------------------------------------------

  describe('UserInfo.parseResponse (JSON)', () => {
    const source = fc.oneof(
      { weight: 3, arbitrary: fc.record({ JWT: fc.constant('\u0000AGG\u0000') }) },
      { weight: 2, arbitrary: messageOf({ endpoint: someUrl, access_token: fc.string({ maxLength: 8 }) }, { hostile: false }) },
      { weight: 1, arbitrary: messageOf({ JWT: shallowWrongValue, endpoint: shallowWrongValue }, { hostile: false }) },
      { weight: 1, arbitrary: shallowWrongValue },
    );
    const userinfo = messageOf({
      sub: mostly('user-1', 'user-2', ''),
      name: fc.constant('Alice'),
      email: fc.constantFrom(GENUINE_EMAIL, 'alice@example.com'),
      _claim_names: fc.oneof(fc.record({ email: fc.constantFrom('src1', 'src2'), name: fc.constantFrom('src1', 'src2') }, { requiredKeys: [] }), objectOf(fc.constantFrom('src1', 'src2'))),
      _claim_sources: fc.oneof(fc.record({ src1: source, src2: source }, { requiredKeys: [] }), fc.array(fc.tuple(anyKey, source), { maxLength: 2 }).map((e) => Object.fromEntries(e))),
    }, { required: ['sub'], goodWeight: 6 });

    it('ends in a typed error or claims about the session\'s user, none from a forged aggregated JWT', { timeout: TEST_TIMEOUT }, async () => {
      const service = new UserInfo(plain);
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(userinfo, fc.array(tokenPick, { minLength: 2, maxLength: 2 }), inputShape({ types: ['application/json'] }), fc.boolean(), async (message, picks, shape, withState) => {
          // Fill the placeholders with aggregated-claims JWTs (genuine, forged, mangled or garbage).
          let n = 0;
          const text = stringify(message).replaceAll('"\\u0000AGG\\u0000"', () => JSON.stringify(chosen(aggregated, picks[n++ % 2]!).token));
          const input = inputFrom(shape.kind === 'object' ? JSON.parse(text) : undefined, shape, text);
          const outcome = tally.note(await settle(() => service.parseResponse(input as never, withState ? { state: plainState } : {})));
          if (!outcome.accepted) return;
          const value = outcome.value;
          assert.equal(typeof value['sub'], 'string', 'accepted userinfo without sub');
          if (withState) assert.equal(value['sub'], 'user-1', 'accepted userinfo about another user than the ID token\'s');
          assert.ok(!containsText(value, FORGED_EMAIL), 'accepted a claim from a forged aggregated claims JWT');
        }),
        params(),
      );
      tally.expectAccepts(300);
    });
  });

  describe('UserInfo.parseResponse (application/jwt, JWS and JWE)', () => {
    const input = fc.record({
      context: fc.constantFrom('plain' as const, 'signed' as const),
      pick: tokenPick,
      shape: fc.oneof(
        { weight: 6, arbitrary: httpResponseOf(fc.constant(''), { types: ['application/jwt', 'application/jwt; charset=utf-8'] }).map((http) => ({ http })) },
        { weight: 1, arbitrary: httpResponseOf(fc.constant(''), { types: ['application/json'] }).map((http) => ({ json: http })) },
        { weight: 2, arbitrary: fc.constant('object' as const) },
        { weight: 1, arbitrary: fc.constant('text' as const) },
        { weight: 1, arbitrary: fc.record({ plainJson: messageOf({ sub: mostly('user-1', 'user-2') }) }) },
        { weight: 1, arbitrary: notAnInput.map((value) => ({ value })) },
      ),
      whitespace: fc.constantFrom('', ' ', '\n', '\r\n\t'),
      withState: fc.boolean(),
    });

    it('ends in a typed error or claims only from a token the OP signed (and, registered signed, never unsigned ones)', { timeout: TEST_TIMEOUT }, async () => {
      const services = { plain: new UserInfo(plain), signed: new UserInfo(signed) };
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(input, async ({ context, pick, shape, whitespace, withState }) => {
          const { token, entry } = chosen(userinfoTokens, pick);
          let value: unknown;
          let carried: string | undefined = token;
          if (shape === 'object') value = { jwt: token };
          else if (shape === 'text') value = JSON.stringify({ jwt: token });
          else if ('http' in shape) value = { ...shape.http, body: `${whitespace}${token}${whitespace}` };
          // application/json: a `jwt` member is just another claim, not a token to verify.
          else if ('json' in shape) { value = { ...shape.json, body: JSON.stringify({ jwt: token, sub: 'user-1' }) }; carried = undefined; }
          else if ('plainJson' in shape) { value = shape.plainJson; carried = undefined; }
          else { value = shape.value; carried = undefined; }
          const state = context === 'plain' ? plainState : signedState;
          const outcome = tally.note(await settle(() => services[context].parseResponse(value as never, withState ? { state } : {})));
          if (!outcome.accepted) return;
          const claims = outcome.value;
          assert.equal(typeof claims['sub'], 'string');
          if (withState) assert.equal(claims['sub'], 'user-1', 'accepted userinfo about another user');
          if (carried === undefined) {
            assert.equal(context, 'plain', 'a client that registered a signed userinfo response accepted plain JSON');
            return;
          }
          if (entry !== undefined) {
            assert.ok(entry.acceptable[context], `the ${context} client accepted ${entry.label}`);
          } else {
            const genuine = userinfoTokens.filter((t) => t.acceptable[context] && !t.label.startsWith('JWE')).map((t) => signingInput(t.token));
            assert.ok(genuine.includes(signingInput(carried)), `the ${context} client accepted a token the OP did not sign: ${carried.slice(0, 80)}`);
          }
          assert.ok(claims['iss'] === undefined || claims['iss'] === ISSUER, 'accepted userinfo from another issuer');
        }),
        params(),
      );
      tally.expectAccepts(300);
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe('DistributedClaims.parseResponse', () => {
    it('ends in a typed error or claims from a JWT the OP signed, for the source asked', { timeout: TEST_TIMEOUT }, async () => {
      const state = await plain.stateDb.createState(ISSUER);
      await plain.stateDb.storeItem({ sub: 'user-1', _claim_names: { email: 'src' }, _claim_sources: { src: { endpoint: 'https://claims.example/src', access_token: 'ext' } } }, 'user_info', state);
      const service = new DistributedClaims(plain);
      await service.getRequestParameters({ state });
      const genuine = genuineInputs(aggregated.filter((t) => t.genuine && !t.label.startsWith('HS256')));
      const goodClaims = aggregated.filter((t) => t.genuine && !t.label.startsWith('HS256')).map((t) => t.token);
      const tally = new Tally();
      const shapes = fc.oneof(
        { weight: 6, arbitrary: httpResponseOf(fc.constant(''), { types: ['application/jwt'] }).map((http) => ({ http })) },
        { weight: 2, arbitrary: fc.constant('object' as const) },
        { weight: 1, arbitrary: fc.record({ jwt: shallowWrongValue }) },
        { weight: 1, arbitrary: fc.constant('text' as const) },
        { weight: 1, arbitrary: notAnInput.map((value) => ({ value })) },
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof({ weight: 2, arbitrary: tokenPick }, { weight: 1, arbitrary: fc.nat().map((i) => ({ good: i })) }), shapes, fc.boolean(), sometimes(fc.constant('\n'), 3), async (pick, shape, withState, pad) => {
          // Now and then one of the genuine RS256 claims JWTs, so that accepting is exercised.
          const token = 'good' in pick ? goodClaims[pick.good % goodClaims.length]! : chosen(aggregated, pick).token;
          let value: unknown;
          if (shape === 'object') value = { jwt: token };
          else if (shape === 'text') value = token;
          else if ('http' in shape) value = { ...shape.http, body: `${token}${pad ?? ''}` };
          else if ('jwt' in shape) value = shape;
          else value = shape.value;
          const outcome = tally.note(await settle(() => service.parseResponse(value as never, withState ? { state } : {})));
          if (!outcome.accepted) return;
          assert.ok(genuine.has(signingInput(token)), `accepted distributed claims the OP did not sign: ${aggregated.find((t) => t.token === token)?.label ?? token.slice(0, 80)}`);
          assert.equal(outcome.value['__source'], 'src');
          assert.ok(!containsText(outcome.value, FORGED_EMAIL));
          assert.ok(isPlainObject(outcome.value));
        }),
        params(),
      );
      tally.expectAccepts(300);
    });
  });
});

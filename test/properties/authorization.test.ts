/**
 * Properties of the authorization response parser (query string, fragment or whole redirect URL,
 * a form post decoded to an object, a redirect as an HttpResponse, URLSearchParams) and of
 * paramsToObject.
 *
 * The oracle: an accepted response carries the `state` of a session this RP started (never one of
 * another RP, never another session than the one the caller names), what its response type
 * promises, and an ID token only when the OP's key or the client secret signed that very token
 * for that session's nonce; `alg: none` is never accepted from the authorization endpoint; and a
 * login is taken once: the very same input, parsed again, is refused (`checkStateReplay`).
 *
 * A login is consumed by the first response for it, so each run starts the login it draws anew
 * (same response type and nonce, a fresh state): the pre-signed tokens stay valid for it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type HttpResponse, type ServiceContext } from '../../src/index.js';
import { AccessToken } from '../../src/services/access-token.js';
import { Authorization, paramsToObject } from '../../src/services/authorization.js';
import { CLIENT_ID, CLIENT_SECRET, ISSUER, NOW, REDIRECT_URI, makeContext } from '../fixtures/context.js';
import { foreignKey, opSigningKey, type KeyPairFixture } from '../fixtures/keys.js';
import {
  NASTY_KEYS,
  anyKey,
  garbageToken,
  hostileValue,
  httpResponseOf,
  messageOf,
  mostly,
  notAnInput,
  shallowWrongValue,
  sometimes,
  stringify,
  wrongValue,
} from './_arbitraries.js';
import { genuineInputs, hmacJws, keyJws, noneJws, signingInput, tokenFamily, type LabelledToken } from './_jwt.js';
import { TARGETED_RUNS, TEST_TIMEOUT, Tally, assertRefused, isPlainObject, params, settle, syncParams, settleSync } from './_support.js';

const RESPONSE_TYPES = ['code', 'id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token'] as const;
const CODE = 'code-1';
const ACCESS_TOKEN = 'access-token-1';
const halfHash = (value: string): string => createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');

interface Session {
  state: string;
  nonce: string;
  responseType: string;
  tokens: LabelledToken[];
  genuine: Set<string>;
  /** Genuine tokens whose claims pass every check for this session. */
  good: string[];
}

let op: KeyPairFixture;
let evil: KeyPairFixture;
let context: ServiceContext;
let sessions: Session[];
let foreignStates: string[];
let allTokens: string[];

/** ID token claims for a session, with the hashes of CODE and ACCESS_TOKEN. */
function claimsFor(nonce: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: ISSUER, sub: 'user-1', aud: CLIENT_ID, iat: NOW, exp: NOW + 3600, nonce, c_hash: halfHash(CODE), at_hash: halfHash(ACCESS_TOKEN), sid: 'sid-1', ...overrides };
}

before(async () => {
  [op, evil] = await Promise.all([opSigningKey(), foreignKey()]);
  // Every run starts a login: far more than the default cap of pending logins.
  context = await makeContext({ config: { max_pending_logins: 1_000_000 } });
  const authorization = new Authorization(context);
  sessions = [];
  for (const [i, responseType] of RESPONSE_TYPES.entries()) {
    const nonce = `nonce-${i}`;
    const { state } = await authorization.getRequestParameters({ response_type: responseType, nonce, pkce: false });
    const signers = { op, evil, clientSecret: CLIENT_SECRET };
    const tokens = [
      ...tokenFamily(claimsFor(nonce), signers),
      // Genuine signatures over claims that must still be refused (the oracle checks the claims).
      { label: 'genuine, wrong nonce', token: hmacJws({ alg: 'HS256' }, claimsFor('nonce-of-another-session'), CLIENT_SECRET), genuine: true },
      { label: 'genuine, no nonce', token: hmacJws({ alg: 'HS256' }, claimsFor(nonce, { nonce: undefined }), CLIENT_SECRET), genuine: true },
      { label: 'genuine, wrong c_hash', token: hmacJws({ alg: 'HS256' }, claimsFor(nonce, { c_hash: halfHash('other') }), CLIENT_SECRET), genuine: true },
      { label: 'genuine, wrong at_hash', token: keyJws({ alg: 'RS256', kid: op.kid }, claimsFor(nonce, { at_hash: halfHash('other') }), op), genuine: true },
      { label: 'genuine, other issuer', token: hmacJws({ alg: 'HS256' }, claimsFor(nonce, { iss: 'https://evil.example' }), CLIENT_SECRET), genuine: true },
      { label: 'genuine, other audience', token: hmacJws({ alg: 'HS256' }, claimsFor(nonce, { aud: 'other-client' }), CLIENT_SECRET), genuine: true },
      { label: 'genuine, expired', token: hmacJws({ alg: 'HS256' }, claimsFor(nonce, { exp: NOW - 3600, iat: NOW - 7200 }), CLIENT_SECRET), genuine: true },
    ];
    const good = tokens.filter((t) => t.genuine && !t.label.startsWith('genuine')).map((t) => t.token);
    sessions.push({ state, nonce, responseType, tokens, genuine: genuineInputs(tokens), good });
  }
  const foreign = await makeContext();
  const foreignAuthorization = new Authorization(foreign);
  foreignStates = [];
  for (const responseType of RESPONSE_TYPES) foreignStates.push((await foreignAuthorization.getRequestParameters({ response_type: responseType, pkce: false })).state);
  allTokens = sessions.flatMap((s) => s.tokens.map((t) => t.token));
});

// ---------------------------------------------------------------------------------------------
// Generators. Sessions exist only after `before`, so generators pick them by index.

/** Which session a response is for, and which of its tokens it carries. */
const pick = fc.record({ session: fc.nat({ max: RESPONSE_TYPES.length - 1 }), token: fc.nat(), other: fc.nat() });

type Draw = { session: number; token: number; other: number };

const stateChoice = fc.oneof(
  { weight: 40, arbitrary: fc.constant('own') },
  { weight: 2, arbitrary: fc.constant('other session') },
  { weight: 2, arbitrary: fc.constant('foreign') },
  { weight: 1, arbitrary: fc.constantFrom('', 'state', ' ', 'null') },
  { weight: 1, arbitrary: shallowWrongValue },
);

const tokenChoice = fc.oneof(
  { weight: 10, arbitrary: fc.constant<{ kind: 'good' }>({ kind: 'good' }) },
  { weight: 10, arbitrary: fc.constant<{ kind: 'pool' }>({ kind: 'pool' }) },
  { weight: 2, arbitrary: fc.constant<{ kind: 'any pool' }>({ kind: 'any pool' }) },
  { weight: 3, arbitrary: fc.constant<{ kind: 'mutated' }>({ kind: 'mutated' }) },
  { weight: 2, arbitrary: garbageToken.map((token) => ({ kind: 'garbage' as const, token })) },
);

/** The raw members of a response, before the session-dependent ones are filled in (by {@link build}). */
const rawResponse = fc.record({
  draw: pick,
  state: stateChoice,
  token: tokenChoice,
  mutationSeed: fc.nat(),
  members: messageOf({
    code: mostly(CODE, 'another-code', ''),
    access_token: mostly(ACCESS_TOKEN, 'another-token'),
    token_type: fc.constantFrom('Bearer', 'bearer', 'DPoP'),
    expires_in: fc.constantFrom('3600', '0', '-1', '1e3', ' 3600'),
    iss: fc.oneof({ weight: 12, arbitrary: fc.constant(ISSUER) }, { weight: 1, arbitrary: fc.constantFrom(`${ISSUER}/`, 'https://evil.example', '') }),
    session_state: fc.constantFrom('abc.def', ''),
    scope: fc.constantFrom('openid', 'openid profile'),
  }, { goodWeight: 12, required: ['code', 'access_token', 'token_type'] }),
  error: sometimes(fc.record({ error: fc.constantFrom('access_denied', 'login_required', ''), error_description: fc.constantFrom('denied', '') }, { requiredKeys: ['error'] }), 12),
  omitToken: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

function build(raw: {
  draw: Draw;
  state: unknown;
  token: { kind: 'good' } | { kind: 'pool' } | { kind: 'any pool' } | { kind: 'mutated' } | { kind: 'garbage'; token: string };
  mutationSeed: number;
  members: Record<string, unknown>;
  error: Record<string, unknown> | undefined;
  omitToken: boolean;
}): Record<string, unknown> {
  const session = sessions[raw.draw.session]!;
  const state = raw.state === 'own'
    ? session.state
    : raw.state === 'other session'
      ? sessions[(raw.draw.session + 1 + (raw.draw.other % (sessions.length - 1))) % sessions.length]!.state
      : raw.state === 'foreign'
        ? foreignStates[raw.draw.other % foreignStates.length]!
        : raw.state;
  let idToken: unknown;
  switch (raw.token.kind) {
    case 'good': idToken = session.good[raw.draw.token % session.good.length]; break;
    case 'pool': idToken = session.tokens[raw.draw.token % session.tokens.length]!.token; break;
    case 'any pool': idToken = allTokens[raw.draw.token % allTokens.length]; break;
    case 'mutated': idToken = mutateOnce(session.tokens[raw.draw.token % session.tokens.length]!.token, raw.mutationSeed); break;
    case 'garbage': idToken = raw.token.token; break;
  }
  return {
    ...raw.members,
    ...(raw.omitToken ? {} : { id_token: idToken }),
    ...raw.error,
    state,
  };
}

/** A deterministic mangling of a token (the generator's `mutated` works on arbitraries; here the token is known late). */
function mutateOnce(token: string, seed: number): string {
  const i = seed % Math.max(token.length, 1);
  switch (seed % 5) {
    case 0: return token.slice(0, i);
    case 1: return `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
    case 2: return `${token}.`;
    case 3: return token.split('.').slice(0, 2).join('.');
    default: return ` ${token} `;
  }
}

/** Query-string text of a response: encoded, sometimes raw, sometimes with a parameter repeated. */
const encoding = fc.record({ raw: fc.boolean(), repeat: sometimes(fc.nat(), 20), prefix: fc.constantFrom('', '?', '#') });
function queryText(message: Record<string, unknown>, how: { raw: boolean; repeat: number | undefined; prefix: string }): string {
  const entries = Object.entries(message).map(([k, v]) => [k, typeof v === 'string' ? v : stringify(v)] as const);
  if (how.repeat !== undefined && entries.length > 0) entries.push(entries[how.repeat % entries.length]!);
  const enc = how.raw ? (s: string) => s : encodeURIComponent;
  return how.prefix + entries.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}

/** Redirect URLs carrying a query: well-formed ones (that a browser would deliver), and broken ones. */
const GOOD_URL_SHAPES = [
  (q: string) => `${REDIRECT_URI}?${q}`,
  (q: string) => `${REDIRECT_URI}#${q}`,
  (q: string) => `${REDIRECT_URI}?a=1#${q}`,
  (q: string) => `https://evil.example/cb?${q}`,
  (q: string) => `HTTPS://EXAMPLE.ORG/authz_cb?${q}`,
];
const BROKEN_URL_SHAPES = [
  () => `${REDIRECT_URI}#`,
  (q: string) => `http://${q}`,
  (q: string) => `https://[${q}`,
  (q: string) => `https://example.org:99999/cb?${q}`,
  (q: string) => `custom-scheme://cb?${q}`,
  (q: string) => `https://${q}`,
];
const urlShape = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...GOOD_URL_SHAPES) }, { weight: 1, arbitrary: fc.constantFrom(...BROKEN_URL_SHAPES) });

const optionsState = fc.oneof(
  { weight: 10, arbitrary: fc.constant<'none'>('none') },
  { weight: 10, arbitrary: fc.constant<'same'>('same') },
  { weight: 1, arbitrary: fc.constant<'other'>('other') },
  { weight: 1, arbitrary: fc.constant<'random'>('random') },
);

function optionsFor(choice: 'none' | 'same' | 'other' | 'random', draw: Draw): { state?: string } {
  const session = sessions[draw.session]!;
  if (choice === 'none') return {};
  if (choice === 'same') return { state: session.state };
  if (choice === 'other') return { state: sessions[(draw.session + 1) % sessions.length]!.state };
  return { state: 'not-a-session' };
}

// ---------------------------------------------------------------------------------------------
// The oracle

function checkAccepted(value: Record<string, unknown>, options: { state?: string }): void {
  const state = value['state'];
  const session = sessions.find((s) => s.state === state);
  assert.ok(session, `accepted a state that belongs to no session of this RP: ${String(state)}`);
  assert.ok(!foreignStates.includes(state as string), 'accepted a foreign state');
  if (options.state !== undefined) assert.equal(state, options.state, 'accepted the state of another session than the one named');
  assert.ok(value['iss'] === undefined || value['iss'] === ISSUER, 'accepted a foreign iss');
  const parts = session.responseType.split(' ');
  if (parts.includes('code')) assert.equal(typeof value['code'], 'string', 'accepted without code');
  if (parts.includes('token')) {
    assert.equal(typeof value['access_token'], 'string', 'accepted without access_token');
    assert.equal(typeof value['token_type'], 'string', 'accepted without token_type');
  }
  if (parts.includes('id_token')) assert.equal(typeof value['id_token'], 'string', 'accepted without id_token');
  if (typeof value['id_token'] === 'string') {
    const idToken = value['id_token'];
    assert.ok(session.genuine.has(signingInput(idToken)), `accepted an ID token that the OP did not sign for this session: ${describeToken(idToken)}`);
    const claims = value['verified_id_token'] as Record<string, unknown> | undefined;
    assert.ok(isPlainObject(claims), 'an accepted ID token has verified claims');
    assert.equal(claims['nonce'], session.nonce, 'accepted an ID token with another session\'s nonce');
    assert.equal(claims['iss'], ISSUER, 'accepted an ID token of another issuer');
    assert.ok(claims['aud'] === CLIENT_ID || (Array.isArray(claims['aud']) && claims['aud'].includes(CLIENT_ID)), 'accepted an ID token for another audience');
    assert.ok(typeof claims['exp'] === 'number' && claims['exp'] > NOW - 60, 'accepted an expired ID token');
    if (typeof value['code'] === 'string') assert.equal(claims['c_hash'], halfHash(value['code']), 'accepted a c_hash that does not match the code');
    if (typeof value['access_token'] === 'string') assert.equal(claims['at_hash'], halfHash(value['access_token']), 'accepted an at_hash that does not match the access token');
  }
}

function describeToken(token: string): string {
  for (const s of sessions) {
    const found = s.tokens.find((t) => t.token === token || signingInput(t.token) === signingInput(token));
    if (found) return `${found.label} (session ${s.responseType})`;
  }
  return token.slice(0, 80);
}

/** Starts the login of session `index` anew: a fresh pending login, the same response type and nonce. */
async function renew(index: number): Promise<void> {
  const session = sessions[index]!;
  session.state = (await new Authorization(context).getRequestParameters({ response_type: session.responseType, nonce: session.nonce, pkce: false })).state;
}

/** Parses `input` (built by `make` once the drawn login is renewed); judges the outcome; an accepted input, parsed again, must be a replay. */
async function parseAndJudge(draw: Draw, make: () => { input: unknown; options: { state?: string } }, tally: Tally): Promise<void> {
  await renew(draw.session);
  const { input, options } = make();
  const service = new Authorization(context);
  const outcome = tally.note(await settle(() => service.parseResponse(input as never, options)));
  if (!outcome.accepted) return;
  checkAccepted(outcome.value, options);
  assertRefused(await settle(() => service.parseResponse(input as never, options)), 'the same response again', ['checkStateReplay']);
}

// ---------------------------------------------------------------------------------------------

describe('paramsToObject', () => {
  const NAMES = ['state', 'code', 'id_token', 'a', 'b', ...NASTY_KEYS.filter((k) => k !== '')] as const;
  const pairs = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...NAMES), anyKey), fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('', '=', '&', '%', '+'))), { maxLength: 6 });

  it('refuses exactly the repeated parameters and keeps every other one as an own member', { timeout: TEST_TIMEOUT }, () => {
    const tally = new Tally();
    fc.assert(
      fc.property(pairs, (list) => {
        const search = new URLSearchParams(list.map(([k, v]): [string, string] => [k, v]));
        const names = [...search.keys()];
        const repeated = names.some((name, i) => names.indexOf(name) !== i);
        const outcome = tally.note(settleSync(() => paramsToObject(search)));
        if (repeated) {
          assertRefused(outcome, 'a repeated parameter', ['parseAuthorizationResponse']);
          return;
        }
        assert.ok(outcome.accepted, `refused parameters that are not repeated: ${JSON.stringify(names)} (${outcome.accepted ? '' : outcome.error.message})`);
        const value = outcome.value;
        assert.deepEqual(Object.keys(value).sort(), [...new Set(names)].sort(), 'every parameter becomes an own member');
        for (const [name, v] of search) assert.equal(Object.getOwnPropertyDescriptor(value, name)?.value, v);
      }),
      syncParams(),
    );
    tally.expectAccepts(3000);
  });
});

describe('Authorization.parseResponse', () => {
  it('from a query string or fragment: typed error or a verified response of this session', { timeout: TEST_TIMEOUT }, async () => {
    const tally = new Tally();
    await fc.assert(
      fc.asyncProperty(rawResponse, encoding, optionsState, async (raw, how, choice) => {
        await parseAndJudge(raw.draw, () => ({ input: queryText(build(raw), how), options: optionsFor(choice, raw.draw) }), tally);
      }),
      params(),
    );
    tally.expectAccepts(300);
  });

  it('from a form post decoded to an object (any member of any type): typed error or a verified response', { timeout: TEST_TIMEOUT }, async () => {
    const extra = sometimes(fc.array(fc.tuple(fc.constantFrom('state', 'iss', 'code', 'id_token', 'access_token', 'token_type', 'expires_in', 'error', 'error_description', 'session_state'), wrongValue), { minLength: 1, maxLength: 2 }), 3);
    const tally = new Tally();
    await fc.assert(
      fc.asyncProperty(rawResponse, extra, optionsState, async (raw, wrongMembers, choice) => {
        await parseAndJudge(raw.draw, () => {
          const message = build(raw);
          for (const [name, value] of wrongMembers ?? []) message[name] = value;
          return { input: message, options: optionsFor(choice, raw.draw) };
        }, tally);
      }),
      params(),
    );
    tally.expectAccepts(300);
  });

  it('from a whole redirect URL (as text, as the Location of an HttpResponse, or as URLSearchParams): typed error or a verified response', { timeout: TEST_TIMEOUT }, async () => {
    const location = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...GOOD_URL_SHAPES, (q: string) => `/authz_cb?${q}`, (q: string) => `?${q}`, (q: string) => `//evil.example/cb?${q}`) },
      { weight: 1, arbitrary: fc.constantFrom(...BROKEN_URL_SHAPES, () => '', () => 'http://[') },
    );
    const base = fc.oneof({ weight: 8, arbitrary: fc.constant('https://example.com/authorization') }, { weight: 1, arbitrary: fc.constantFrom('', 'not a url') });
    const http = fc.tuple(httpResponseOf(fc.constantFrom('', '<html>'), { ok: [302, 303, 301, 307], types: ['text/html'] }), location, base).map(([response, where, url]) => ({ response, where, url }));
    const shape = fc.oneof(
      { weight: 6, arbitrary: urlShape.map((where) => ({ text: where })) },
      { weight: 3, arbitrary: http },
      { weight: 1, arbitrary: fc.constant({ params: true as const }) },
      { weight: 1, arbitrary: notAnInput.map((value) => ({ value })) },
    );
    const tally = new Tally();
    await fc.assert(
      fc.asyncProperty(rawResponse, encoding, shape, optionsState, async (raw, how, form, choice) => {
        await parseAndJudge(raw.draw, () => {
          const query = queryText(build(raw), { ...how, prefix: '' });
          let input: unknown;
          if ('text' in form) input = form.text(query);
          else if ('params' in form) input = new URLSearchParams(query);
          else if ('value' in form) input = form.value;
          else input = { ...form.response, url: form.url, headers: { ...form.response.headers, location: form.where(query) } } satisfies HttpResponse;
          return { input, options: optionsFor(choice, raw.draw) };
        }, tally);
      }),
      params(),
    );
    tally.expectAccepts(300);
  });

  it('never accepts a state of another RP, or of another session than the one named, however perfect the rest', { timeout: TEST_TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(pick, fc.constantFrom('foreign', 'other session', 'named other'), fc.constantFrom('query', 'object'), async (draw, how, form) => {
        await renew(draw.session);
        await renew((draw.session + 1) % sessions.length);
        const session = sessions[draw.session]!;
        const good = { state: session.state, code: CODE, access_token: ACCESS_TOKEN, token_type: 'Bearer', id_token: session.tokens[0]!.token, iss: ISSUER };
        let options: { state?: string } = {};
        if (how === 'foreign') good.state = foreignStates[draw.other % foreignStates.length]!;
        else if (how === 'other session') options = { state: sessions[(draw.session + 1) % sessions.length]!.state };
        else options = { state: foreignStates[draw.session]! };
        const input = form === 'query' ? new URLSearchParams(good).toString() : good;
        const outcome = await settle(() => new Authorization(context).parseResponse(input, options));
        // A state of no session of this RP: checkState; the state of another login than the one this user agent started: checkBrowserBinding.
        assertRefused(outcome, `a ${how} state`, how === 'foreign' ? ['checkState'] : ['checkBrowserBinding']);
      }),
      // TARGETED_RUNS: a targeted property over parsers that have their 10,000-run properties above.
      params(TARGETED_RUNS),
    );
  });
});

describe('alg none from the authorization endpoint', () => {
  it('is refused even when the client registered none, while the token endpoint accepts the same token', { timeout: TEST_TIMEOUT }, async () => {
    const noneContext = await makeContext({ behaviour: { id_token_signed_response_alg: 'none', response_types: ['id_token', 'code'] }, config: { max_pending_logins: 1_000_000 } });
    const authorization = new Authorization(noneContext);
    const code = await authorization.getRequestParameters({ response_type: 'code', nonce: 'n-2', pkce: false });
    const spelling = fc.constantFrom('none', 'None', 'NONE', 'nOnE', 'none ');
    const header = fc.record({ typ: fc.constantFrom('JWT', 'jwt'), kid: fc.constantFrom(op.kid, 'x') }, { requiredKeys: [] });
    const claims = fc.record({ sub: fc.constantFrom('user-1', 'user-2'), exp: fc.constantFrom(NOW + 60, NOW + 3600), extra: sometimes(hostileValue, 50) });
    await fc.assert(
      fc.asyncProperty(spelling, header, claims, fc.constantFrom('', 'c2ln'), async (alg, extraHeader, c, signature) => {
        const body = { iss: ISSUER, aud: CLIENT_ID, iat: NOW, sub: c.sub, exp: c.exp, ...(c.extra === undefined ? {} : { extra: c.extra }) };
        const token = noneJws({ ...body, nonce: 'n-1' }, alg, extraHeader) + signature;
        // Each run its own login: the first response for a login consumes it.
        const implicit = await authorization.getRequestParameters({ response_type: 'id_token', nonce: 'n-1', pkce: false });
        const fromAuthorization = await settle(() => new Authorization(noneContext).parseResponse({ state: implicit.state, id_token: token }));
        assertRefused(fromAuthorization, 'alg none from the authorization endpoint', ['checkAlgorithm', 'checkJwtFormat', 'checkSignature']);
        // The token endpoint may accept exactly `none` with an empty signature, registered as it is.
        const tokenForCode = noneJws({ ...body, nonce: 'n-2' }, alg, extraHeader) + signature;
        const fromToken = await settle(() => new AccessToken(noneContext).parseResponse({ access_token: 'at', token_type: 'Bearer', id_token: tokenForCode }, { state: code.state }));
        // Exactly `none` with an empty signature, as registered, is acceptable from the token
        // endpoint (and must be accepted, unless a huge or deeply nested extra claim is refused as
        // such); any other spelling, or a signature, must be refused.
        const registeredNone = alg === 'none' && signature === '';
        if (!registeredNone) assertRefused(fromToken, `alg "${alg}" with signature "${signature}"`);
        else if (c.extra === undefined) assert.ok(fromToken.accepted, `the token endpoint refused a registered unsigned ID token: ${fromToken.accepted ? '' : fromToken.error.check}`);
      }),
      // TARGETED_RUNS: the authorization and token parsers have their 10,000-run properties above.
      params(TARGETED_RUNS),
    );
  });
});

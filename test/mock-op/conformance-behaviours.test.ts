/**
 * The conformance OP: one behaviour per test id, chosen by the issuer path. Each test drives the
 * OP as an RP would (through `op.handle`) and observes the misbehaviour in what comes back.
 *
 * Run: node --import tsx --test test/mock-op/conformance-behaviours.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CompactEncrypt,
  SignJWT,
  compactDecrypt,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  base64url,
} from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import {
  CONFORMANCE_TESTS,
  allTestIds,
  carriedOn,
  createConformanceOp,
  findConformanceTest,
  generateOpKeys,
  requestsAfter,
  testIds,
} from '../../mock-op/index.js';
import type { ConformanceOp, OpKeys } from '../../mock-op/index.js';
import { REDIRECT, RP, RpDriver, basic, formPostParams, halfHash } from './rp-driver.js';
import type { Registered } from './rp-driver.js';

const BASE = 'https://localhost:8080';
let keys: OpKeys;
let op: ConformanceOp;
let server: ReturnType<typeof setupServer>;
let rpCounter = 0;
const rpFiles = new Map<string, string>();
let clientEnc: { privateKey: CryptoKey; publicJwk: JWK };
let clientSig: { privateKey: CryptoKey; publicJwk: JWK };

/** An RP driver at a fresh rp_id (so every test starts with a new provider). */
function rp(testId: string): RpDriver {
  rpCounter += 1;
  return new RpDriver(op.handle, op.issuerFor(`rp${rpCounter}`, testId));
}

async function jwksOf(driver: RpDriver): Promise<JSONWebKeySet> {
  const doc = await driver.discovery();
  return (await (await driver.fetch(String(doc.jwks_uri))).json()) as JSONWebKeySet;
}

async function idTokenByCode(driver: RpDriver, client: Registered, params: Record<string, string> = {}): Promise<string> {
  return String((await driver.codeFlow(client, params)).id_token);
}

before(async () => {
  keys = await generateOpKeys();
  op = await createConformanceOp({ base: BASE, keys });
  const enc = await generateKeyPair('RSA-OAEP', { extractable: true });
  clientEnc = { privateKey: enc.privateKey, publicJwk: { ...(await exportJWK(enc.publicKey)), kid: 'rp-enc', use: 'enc', alg: 'RSA-OAEP' } };
  const sig = await generateKeyPair('RS256', { extractable: true });
  clientSig = { privateKey: sig.privateKey, publicJwk: { ...(await exportJWK(sig.publicKey)), kid: 'rp-sig', use: 'sig', alg: 'RS256' } };
  server = setupServer(
    http.get(`${RP}/*`, ({ request }) => {
      const body = rpFiles.get(new URL(request.url).pathname);
      return body === undefined ? new Response('not found', { status: 404 }) : new Response(body, { headers: { 'Content-Type': 'application/jwt' } });
    }),
  );
  server.listen({ onUnhandledRequest: 'error' });
});

after(() => server.close());

describe('selection by test id', () => {
  it('serves every test id of the catalogue at its own issuer', async () => {
    for (const id of allTestIds()) {
      const driver = new RpDriver(op.handle, op.issuerFor('all', id));
      const doc = await driver.discovery();
      const test = findConformanceTest(id)!;
      if (test.name === 'discovery-issuer-mismatch') assert.equal(doc.issuer, `${driver.issuer}INVALID`);
      else assert.equal(doc.issuer, driver.issuer, id);
    }
    assert.equal(await op.handle(new Request(`${BASE}/oicrp/oidcc-client-test-no-such-test/.well-known/openid-configuration`)), undefined);
    assert.equal(await op.handle(new Request('https://elsewhere.example/oicrp/oidcc-client-test/.well-known/openid-configuration')), undefined);
  });

  it('serves through its MSW handlers to the global fetch, WebFinger at the host root included', async () => {
    server.use(...op.handlers);
    try {
      const doc = (await (await fetch(`${BASE}/msw/oidcc-client-test-invalid-iss/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      assert.equal(doc.issuer, `${BASE}/msw/oidcc-client-test-invalid-iss`);
      const jrd = (await (await fetch(`${BASE}/.well-known/webfinger?resource=${encodeURIComponent('acct:msw.oidcc-client-test@localhost:8080')}`)).json()) as { links: Array<{ href: string }> };
      assert.equal(jrd.links[0]?.href, `${BASE}/msw/oidcc-client-test`);
    } finally {
      server.resetHandlers();
    }
  });

  it('keeps one provider per issuer until reset, each with its own log', async () => {
    const a = op.opFor('same', 'oidcc-client-test-invalid-iss');
    assert.equal(op.opFor('same', 'oidcc-client-test-invalid-iss'), a);
    assert.notEqual(op.opFor('same', 'rp-id_token-issuer-mismatch'), a);
    await new RpDriver(op.handle, a.issuer).discovery();
    assert.equal(op.requestsFor('same', 'oidcc-client-test-invalid-iss').last()?.endpoint, 'discovery');
    assert.equal(op.requestsFor('same', 'rp-id_token-issuer-mismatch').length, 0);
    op.reset();
    assert.notEqual(op.opFor('same', 'oidcc-client-test-invalid-iss'), a);
    assert.throws(() => op.opFor('same', 'nope'), /unknown conformance test id/);
  });

  it('applies the same behaviour under both names', async () => {
    for (const id of ['oidcc-client-test-invalid-iss', 'rp-id_token-issuer-mismatch']) {
      const driver = rp(id);
      const client = await driver.register();
      const token = await idTokenByCode(driver, client);
      assert.equal(decodeJwt(token).iss, `${driver.issuer}1`, id);
    }
  });
});

describe('WebFinger at the host root', () => {
  async function webfinger(resource: string): Promise<Response> {
    return (await op.handle(new Request(`${BASE}/.well-known/webfinger?${new URLSearchParams({ resource, rel: 'http://openid.net/specs/connect/1.0/issuer' })}`)))!;
  }

  it('answers acct:<rp_id>.<test_id>@<host> and https://<host>/<rp_id>/<test_id> with that issuer', async () => {
    for (const testId of ['oidcc-client-test-discovery-webfinger-acct', 'rp-discovery-webfinger-acct', 'rp-discovery-webfinger-url']) {
      for (const resource of [`acct:oicrp.${testId}@localhost:8080`, `${BASE}/oicrp/${testId}`]) {
        const response = await webfinger(resource);
        assert.equal(response.status, 200, resource);
        assert.match(response.headers.get('content-type') ?? '', /jrd\+json/);
        const jrd = (await response.json()) as { subject: string; links: Array<{ rel: string; href: string }> };
        assert.equal(jrd.subject, resource);
        assert.equal(jrd.links[0]?.href, `${BASE}/oicrp/${testId}`);
      }
    }
    assert.equal(op.requestsFor('oicrp', 'rp-discovery-webfinger-url').last()?.endpoint, 'webfinger');
    assert.equal((await webfinger('acct:oicrp.no-such-test@localhost:8080')).status, 404);
  });

  it('gives an http: href for webfinger-http-href and unknown members for webfinger-unknown-member', async () => {
    const httpHref = (await (await webfinger(`acct:oicrp.rp-discovery-webfinger-http-href@localhost:8080`)).json()) as { links: Array<{ href: string }> };
    assert.equal(httpHref.links[0]?.href, 'http://localhost:8080/oicrp/rp-discovery-webfinger-http-href');
    const unknown = (await (await webfinger(`${BASE}/oicrp/rp-discovery-webfinger-unknown-member`)).json()) as Record<string, unknown> & {
      links: Array<Record<string, unknown>>;
    };
    assert.equal(typeof unknown.dummy, 'string');
    assert.equal(typeof unknown.links[0]?.dummy, 'string');
    assert.equal(unknown.links[0]?.href, `${BASE}/oicrp/rp-discovery-webfinger-unknown-member`);
  });
});

describe('ID token misbehaviours (tampered the way the suite does)', () => {
  it('plain test: a valid ID token from the token endpoint and the authorization endpoint', async () => {
    const driver = rp('oidcc-client-test');
    const client = await driver.register({ response_types: ['code', 'id_token'] });
    const jwks = createLocalJWKSet(await jwksOf(driver));
    await jwtVerify(await idTokenByCode(driver, client), jwks, { issuer: driver.issuer, audience: client.client_id });
    const implicit = await driver.authorize(client, { response_type: 'id_token' });
    const { payload } = await jwtVerify(implicit.get('id_token')!, jwks, { issuer: driver.issuer, audience: client.client_id });
    assert.equal(payload.nonce, 'nn');
    assert.ok(typeof payload.sid === 'string');
  });

  it('invalid-iss, missing-sub, invalid-aud, missing-aud, missing-iat, nonce-invalid change one claim', async () => {
    const cases: Array<[string, (claims: Record<string, unknown>, driver: RpDriver, client: Registered) => void]> = [
      ['oidcc-client-test-invalid-iss', (c, d) => assert.equal(c.iss, `${d.issuer}1`)],
      ['oidcc-client-test-missing-sub', (c) => assert.equal(c.sub, undefined)],
      ['oidcc-client-test-invalid-aud', (c, _d, client) => assert.equal(c.aud, `${client.client_id}1`)],
      ['oidcc-client-test-missing-aud', (c) => assert.equal(c.aud, undefined)],
      ['oidcc-client-test-missing-iat', (c) => assert.equal(c.iat, undefined)],
      ['oidcc-client-test-nonce-invalid', (c) => assert.equal(c.nonce, 'nn1')],
    ];
    for (const [id, check] of cases) {
      const driver = rp(id);
      const client = await driver.register({ response_types: ['code', 'id_token'] });
      const fromToken = decodeJwt(await idTokenByCode(driver, client)) as Record<string, unknown>;
      check(fromToken, driver, client);
      const fromAuthorization = decodeJwt((await driver.authorize(client, { response_type: 'id_token' })).get('id_token')!) as Record<string, unknown>;
      check(fromAuthorization, driver, client);
      if (id !== 'oidcc-client-test-invalid-iss') assert.equal(fromToken.iss, driver.issuer, `${id}: iss untouched`);
    }
  });

  it('kid-absent-single-jwks: one key without kid, verifiable', async () => {
    const driver = rp('oidcc-client-test-kid-absent-single-jwks');
    const client = await driver.register({ id_token_signed_response_alg: 'ES256' });
    assert.equal(client.id_token_signed_response_alg, 'RS256', 'registered with RS256 whatever was asked');
    const token = await idTokenByCode(driver, client);
    assert.equal(decodeProtectedHeader(token).kid, undefined);
    const jwks = await jwksOf(driver);
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]?.kid, undefined);
    await jwtVerify(token, await importJWK(jwks.keys[0]!, 'RS256'));
  });

  it('kid-absent-multiple-jwks: several RS256 keys without kid, the first a decoy', async () => {
    const driver = rp('oidcc-client-test-kid-absent-multiple-jwks');
    const client = await driver.register();
    const token = await idTokenByCode(driver, client);
    assert.equal(decodeProtectedHeader(token).kid, undefined);
    const jwks = await jwksOf(driver);
    const rsa = jwks.keys.filter((k) => k.kty === 'RSA' && k.alg === 'RS256');
    assert.ok(rsa.length >= 2);
    for (const k of jwks.keys) assert.equal(k.kid, undefined);
    await assert.rejects(jwtVerify(token, await importJWK(rsa[0]!, 'RS256')));
    await jwtVerify(token, await importJWK(rsa[1]!, 'RS256'));
  });

  it('idtoken-sig-none: unsigned ID token from the token endpoint; the registration says none', async () => {
    const driver = rp('oidcc-client-test-idtoken-sig-none');
    const client = await driver.register();
    assert.equal(client.id_token_signed_response_alg, 'none');
    const token = await idTokenByCode(driver, client);
    assert.equal(decodeProtectedHeader(token).alg, 'none');
    assert.ok(token.endsWith('.'));
  });

  it('invalid-sig-rs256 / -hs256 / -es256: right alg, intact claims, signature that does not verify', async () => {
    const cases: Array<[string, string]> = [
      ['oidcc-client-test-invalid-sig-rs256', 'RS256'],
      ['oidcc-client-test-invalid-sig-hs256', 'HS256'],
      ['oidcc-client-test-invalid-sig-es256', 'ES256'],
    ];
    for (const [id, alg] of cases) {
      const driver = rp(id);
      const client = await driver.register();
      const token = await idTokenByCode(driver, client);
      assert.equal(decodeProtectedHeader(token).alg, alg, id);
      assert.equal(decodeJwt(token).iss, driver.issuer);
      const key = alg === 'HS256' ? new TextEncoder().encode(client.client_secret) : createLocalJWKSet(await jwksOf(driver));
      await assert.rejects(jwtVerify(token, key as Uint8Array), /signature verification failed/, id);
    }
  });

  it('idtoken-sig-hs256 / -es256: valid tokens with that alg', async () => {
    const hs = rp('rp-id_token-sig-hs256');
    const hsClient = await hs.register();
    const hsToken = await idTokenByCode(hs, hsClient);
    await jwtVerify(hsToken, new TextEncoder().encode(hsClient.client_secret), { algorithms: ['HS256'], issuer: hs.issuer });
    const es = rp('rp-id_token-sig-es256');
    const esToken = await idTokenByCode(es, await es.register());
    await jwtVerify(esToken, createLocalJWKSet(await jwksOf(es)), { algorithms: ['ES256'], issuer: es.issuer });
  });

  it('idtoken-sig-enc / -a128kw: nested JWTs the client decrypts and verifies', async () => {
    const rsa = rp('rp-id_token-sig+enc');
    const rsaClient = await rsa.register({ jwks: { keys: [clientEnc.publicJwk] } });
    const jwe = await idTokenByCode(rsa, rsaClient);
    const header = decodeProtectedHeader(jwe);
    assert.deepEqual([header.alg, header.enc, header.cty], ['RSA-OAEP', 'A128CBC-HS256', 'JWT']);
    const inner = new TextDecoder().decode((await compactDecrypt(jwe, clientEnc.privateKey)).plaintext);
    await jwtVerify(inner, createLocalJWKSet(await jwksOf(rsa)), { issuer: rsa.issuer, audience: rsaClient.client_id });

    const kw = rp('rp-id_token-sig+enc-a128kw');
    const kwClient = await kw.register();
    const kwJwe = await idTokenByCode(kw, kwClient);
    assert.equal(decodeProtectedHeader(kwJwe).alg, 'A128KW');
    const { createHash } = await import('node:crypto');
    const key = createHash('sha256').update(kwClient.client_secret).digest().subarray(0, 16);
    const kwInner = new TextDecoder().decode((await compactDecrypt(kwJwe, new Uint8Array(key))).plaintext);
    await jwtVerify(kwInner, createLocalJWKSet(await jwksOf(kw)), { issuer: kw.issuer });
  });

  it('invalid-athash / missing-athash / invalid-chash / missing-chash alter the front-channel hashes only', async () => {
    const at = rp('oidcc-client-test-invalid-athash');
    const atClient = await at.register({ response_types: ['id_token token'] });
    const atResponse = await at.authorize(atClient, { response_type: 'id_token token' });
    assert.equal(decodeJwt(atResponse.get('id_token')!).at_hash, `${halfHash(atResponse.get('access_token')!)}1`);

    const noAt = rp('oidcc-client-test-missing-athash');
    const noAtClient = await noAt.register({ response_types: ['code id_token token'] });
    const noAtResponse = await noAt.authorize(noAtClient, { response_type: 'code id_token token' });
    const noAtClaims = decodeJwt(noAtResponse.get('id_token')!);
    assert.equal(noAtClaims.at_hash, undefined);
    assert.equal(noAtClaims.c_hash, halfHash(noAtResponse.get('code')!));

    const c = rp('oidcc-client-test-invalid-chash');
    const cClient = await c.register({ response_types: ['code id_token'] });
    const cResponse = await c.authorize(cClient, { response_type: 'code id_token' });
    assert.equal(decodeJwt(cResponse.get('id_token')!).c_hash, `${halfHash(cResponse.get('code')!)}1`);

    const noC = rp('oidcc-client-test-missing-chash');
    const noCClient = await noC.register({ response_types: ['code id_token'] });
    assert.equal(decodeJwt((await noC.authorize(noCClient, { response_type: 'code id_token' })).get('id_token')!).c_hash, undefined);
  });

  it('nonce-unless-code-flow refuses an implicit request without nonce', async () => {
    const driver = rp('oidcc-client-test-nonce-unless-code-flow');
    const client = await driver.register({ response_types: ['id_token'] });
    const response = await driver.authorizeRaw({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'id_token', scope: 'openid', state: 's' });
    const params = new URLSearchParams(new URL(response.headers.get('location')!).hash.slice(1));
    assert.equal(params.get('error'), 'invalid_request');
  });
});

describe('UserInfo, client authentication and response modes', () => {
  it('userinfo-invalid-sub: UserInfo sub is the ID token sub with invalid appended', async () => {
    const driver = rp('oidcc-client-test-userinfo-invalid-sub');
    const client = await driver.register();
    const tokens = await driver.codeFlow(client);
    const info = (await (await driver.userinfo(String(tokens.access_token))).json()) as Record<string, unknown>;
    assert.equal(info.sub, `${String(decodeJwt(String(tokens.id_token)).sub)}invalid`);
  });

  it('scope-userinfo-claims releases the claims of the scopes asked for', async () => {
    const driver = rp('oidcc-client-test-scope-userinfo-claims');
    const client = await driver.register();
    const tokens = await driver.codeFlow(client, { scope: 'openid profile email phone address' });
    const info = (await (await driver.userinfo(String(tokens.access_token))).json()) as Record<string, unknown>;
    for (const claim of ['name', 'email', 'phone_number', 'address']) assert.ok(info[claim] !== undefined, claim);
  });

  it('client auth rows register that method whatever was asked and refuse the others', async () => {
    const post = rp('rp-token_endpoint-client_secret_post');
    const client = await post.register({ token_endpoint_auth_method: 'client_secret_basic' });
    assert.equal(client.token_endpoint_auth_method, 'client_secret_post');
    const code = (await post.authorize(client)).get('code')!;
    const refused = await post.token(client, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as Record<string, unknown>).error, 'invalid_client');
    const code2 = (await post.authorize(client)).get('code')!;
    const ok = await post.token(client, { grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT, client_id: client.client_id, client_secret: client.client_secret }, {});
    assert.equal(ok.status, 200);

    const basicRow = rp('oidcc-client-test-client-secret-basic');
    assert.equal((await basicRow.register({ token_endpoint_auth_method: 'client_secret_post' })).token_endpoint_auth_method, 'client_secret_basic');
    const jwtRow = rp('rp-token_endpoint-client_secret_jwt');
    assert.equal((await jwtRow.register()).token_endpoint_auth_method, 'client_secret_jwt');
    const pkRow = rp('rp-token_endpoint-private_key_jwt');
    assert.equal((await pkRow.register({ jwks: { keys: [clientSig.publicJwk] } })).token_endpoint_auth_method, 'private_key_jwt');
  });

  it('userinfo-bearer-header / -body accept the token only there', async () => {
    const header = rp('oidcc-client-test-userinfo-bearer-header');
    const hClient = await header.register();
    const hToken = String((await header.codeFlow(hClient)).access_token);
    const inBody = await header.fetch(`${header.issuer}/userinfo`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `access_token=${hToken}` });
    assert.equal(inBody.status, 401);
    assert.equal((await header.userinfo(hToken)).status, 200);

    const body = rp('oidcc-client-test-userinfo-bearer-body');
    const bClient = await body.register();
    const bToken = String((await body.codeFlow(bClient)).access_token);
    assert.equal((await body.userinfo(bToken)).status, 401);
    const ok = await body.fetch(`${body.issuer}/userinfo`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `access_token=${bToken}` });
    assert.equal(ok.status, 200);
  });

  it('form-post-error answers prompt=none with a form-posted login_required', async () => {
    const driver = rp('oidcc-client-test-form-post-error');
    const client = await driver.register();
    const response = await driver.authorizeRaw({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'xyz', prompt: 'none', response_mode: 'form_post' });
    const { action, params } = await formPostParams(response);
    assert.equal(action, REDIRECT);
    assert.equal(params.get('error'), 'login_required');
    assert.equal(params.get('state'), 'xyz');
  });

  it('response-mode-form-post form-posts a code response', async () => {
    const driver = rp('rp-response_mode-form_post');
    const client = await driver.register();
    const response = await driver.authorizeRaw({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's1' });
    const { params } = await formPostParams(response);
    assert.ok(params.get('code'));
    assert.equal(params.get('state'), 's1');
  });

  it('claims request rows refuse requests without claims and honour them', async () => {
    const driver = rp('rp-claims_request-id_token');
    const client = await driver.register();
    assert.equal((await driver.authorize(client)).get('error'), 'invalid_request');
    const token = await idTokenByCode(driver, client, { claims: JSON.stringify({ id_token: { email: { essential: true } } }) });
    assert.equal(decodeJwt(token).email, 'foobar@example.com');

    const ui = rp('rp-claims_request-userinfo');
    const uiClient = await ui.register();
    assert.equal((await ui.authorize(uiClient, { claims: JSON.stringify({ id_token: { email: null } }) })).get('error'), 'invalid_request');
    const tokens = await ui.codeFlow(uiClient, { claims: JSON.stringify({ userinfo: { phone_number: null } }) });
    const info = (await (await ui.userinfo(String(tokens.access_token))).json()) as Record<string, unknown>;
    assert.equal(info.phone_number, '+46 (0) 70 000 00 00');
  });

  it('userinfo-signed / -encrypted / -signed-encrypted answer JWTs', async () => {
    const signed = rp('oidcc-client-test-userinfo-signed');
    const sClient = await signed.register();
    const sResponse = await signed.userinfo(String((await signed.codeFlow(sClient)).access_token));
    assert.match(sResponse.headers.get('content-type') ?? '', /^application\/jwt/);
    await jwtVerify(await sResponse.text(), createLocalJWKSet(await jwksOf(signed)), { issuer: signed.issuer, audience: sClient.client_id });

    const enc = rp('rp-userinfo-enc');
    const eClient = await enc.register({ jwks: { keys: [clientEnc.publicJwk] } });
    const jwe = await (await enc.userinfo(String((await enc.codeFlow(eClient)).access_token))).text();
    assert.equal(decodeProtectedHeader(jwe).cty, undefined);
    const claims = JSON.parse(new TextDecoder().decode((await compactDecrypt(jwe, clientEnc.privateKey)).plaintext)) as Record<string, unknown>;
    assert.equal(claims.iss, enc.issuer);
    assert.equal(typeof claims.sub, 'string');

    const both = rp('rp-userinfo-sig+enc');
    const bClient = await both.register({ jwks: { keys: [clientEnc.publicJwk] } });
    const nested = await (await both.userinfo(String((await both.codeFlow(bClient)).access_token))).text();
    assert.equal(decodeProtectedHeader(nested).cty, 'JWT');
    const inner = new TextDecoder().decode((await compactDecrypt(nested, clientEnc.privateKey)).plaintext);
    await jwtVerify(inner, createLocalJWKSet(await jwksOf(both)), { issuer: both.issuer, audience: bClient.client_id });
  });
});

describe('discovery, keys and registration rows', () => {
  it('discovery-jwks-uri-keys: a new random jwks_uri per OP instance; /jwks is gone', async () => {
    const a = rp('oidcc-client-test-discovery-jwks-uri-keys');
    const b = rp('oidcc-client-test-discovery-jwks-uri-keys');
    const uriA = String((await a.discovery()).jwks_uri);
    const uriB = String((await b.discovery()).jwks_uri);
    assert.ok(uriA.startsWith(`${a.issuer}/jwks/`));
    assert.notEqual(uriA.slice(a.issuer.length), uriB.slice(b.issuer.length));
    assert.equal((await a.fetch(`${a.issuer}/jwks`)).status, 404);
    const jwks = (await (await a.fetch(uriA)).json()) as JSONWebKeySet;
    assert.ok(jwks.keys.some((k) => k.kid === keys.rs256.kid));
    assert.equal(op.requestsFor(`rp${rpCounter - 1}`, 'oidcc-client-test-discovery-jwks-uri-keys').last()?.endpoint, 'jwks');
  });

  it('discovery-issuer-mismatch: issuer with INVALID appended; the verdict sees a later request', async () => {
    const driver = rp('oidcc-client-test-discovery-issuer-mismatch');
    const doc = await driver.discovery();
    assert.equal(doc.issuer, `${driver.issuer}INVALID`);
    assert.equal(doc.authorization_endpoint, `${driver.issuer}/authorization`);
    const test = findConformanceTest('oidcc-client-test-discovery-issuer-mismatch')!;
    const log = op.requestsFor(`rp${rpCounter}`, 'oidcc-client-test-discovery-issuer-mismatch');
    assert.deepEqual(carriedOn(test, log), []);
    await driver.register();
    assert.deepEqual(carriedOn(test, log).map((e) => e.endpoint), ['registration']);
  });

  it('signing-key-rotation-just-before-signing: the first ID token already has a kid unknown to the earlier JWKS', async () => {
    const driver = rp('oidcc-client-test-signing-key-rotation-just-before-signing');
    const before = await jwksOf(driver);
    const client = await driver.register();
    const token = await idTokenByCode(driver, client);
    const kid = decodeProtectedHeader(token).kid;
    assert.ok(!before.keys.some((k) => k.kid === kid));
    const afterJwks = await jwksOf(driver);
    assert.ok(afterJwks.keys.some((k) => k.kid === kid));
    await jwtVerify(token, createLocalJWKSet(afterJwks), { issuer: driver.issuer });
    assert.equal(decodeProtectedHeader(await idTokenByCode(driver, client)).kid, kid, 'rotates once');
  });

  it('signing-key-rotation: rotates once the first ID token is out; the second carries the new kid', async () => {
    const driver = rp('oidcc-client-test-signing-key-rotation');
    const client = await driver.register();
    const first = await idTokenByCode(driver, client);
    assert.equal(decodeProtectedHeader(first).kid, keys.rs256.kid);
    assert.ok((await jwksOf(driver)).keys.some((k) => k.kid === keys.rs256.kid), 'the first ID token verifies with the published key');
    const second = await idTokenByCode(driver, client);
    const jwks = await jwksOf(driver);
    assert.ok(!jwks.keys.some((k) => k.kid === keys.rs256.kid), 'old key gone from the JWKS');
    assert.notEqual(decodeProtectedHeader(second).kid, keys.rs256.kid);
    await jwtVerify(second, createLocalJWKSet(jwks), { issuer: driver.issuer });
  });

  it('enc-key-rotation: the second request object must be encrypted to the new key', async () => {
    const driver = rp('rp-key-rotation-op-enc-key');
    const client = await driver.register({ request_object_signing_alg: 'none' });
    const encryptTo = async (jwks: JSONWebKeySet): Promise<string> => {
      const jwk = jwks.keys.find((k) => k.use === 'enc')!;
      const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none' }))}.${base64url.encode(JSON.stringify({ client_id: client.client_id, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid' }))}.`;
      return new CompactEncrypt(new TextEncoder().encode(unsigned)).setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256', kid: jwk.kid! }).encrypt(await importJWK(jwk, 'RSA-OAEP'));
    };
    assert.equal((await driver.authorize(client)).get('error'), 'invalid_request', 'plain requests refused');
    const oldJwks = await jwksOf(driver);
    assert.ok((await driver.authorize(client, { request: await encryptTo(oldJwks) })).get('code'));
    assert.equal((await driver.authorize(client, { request: await encryptTo(oldJwks) })).get('error'), 'invalid_request_object');
    const newJwks = await jwksOf(driver);
    assert.notEqual(newJwks.keys.find((k) => k.use === 'enc')?.kid, oldJwks.keys.find((k) => k.use === 'enc')?.kid);
    assert.ok((await driver.authorize(client, { request: await encryptTo(newJwks) })).get('code'));
  });

  it('request-uri rows refuse requests without request_uri and accept the kind they expect', async () => {
    const unsigned = rp('oidcc-client-test-request-uri-signed-none');
    const uClient = await unsigned.register({ request_object_signing_alg: 'none' });
    assert.equal((await unsigned.authorize(uClient)).get('error'), 'invalid_request');
    const object = `${base64url.encode(JSON.stringify({ alg: 'none' }))}.${base64url.encode(JSON.stringify({ client_id: uClient.client_id, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid', state: 'ro' }))}.`;
    assert.equal((await unsigned.authorize(uClient, { request: object })).get('error'), 'invalid_request', 'by value refused');
    rpFiles.set('/ro-none', object);
    const ok = await unsigned.authorize(uClient, { request_uri: `${RP}/ro-none` });
    assert.ok(ok.get('code'));
    assert.equal(ok.get('state'), 'ro');

    const signed = rp('oidcc-client-test-request-uri-signed-rs256');
    const sClient = await signed.register({ jwks: { keys: [clientSig.publicJwk] } });
    rpFiles.set('/ro-none-2', `${base64url.encode(JSON.stringify({ alg: 'none' }))}.${base64url.encode(JSON.stringify({ client_id: sClient.client_id, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid' }))}.`);
    assert.equal((await signed.authorize(sClient, { request_uri: `${RP}/ro-none-2` })).get('error'), 'invalid_request');
    rpFiles.set(
      '/ro-rs256',
      await new SignJWT({ client_id: sClient.client_id, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid' })
        .setProtectedHeader({ alg: 'RS256', kid: 'rp-sig' })
        .setIssuer(sClient.client_id)
        .setAudience(signed.issuer)
        .sign(clientSig.privateKey),
    );
    assert.ok((await signed.authorize(sClient, { request_uri: `${RP}/ro-rs256` })).get('code'));

    const enc = rp('rp-request_uri-enc');
    const eClient = await enc.register({ request_object_signing_alg: 'none' });
    rpFiles.set('/ro-none-3', `${base64url.encode(JSON.stringify({ alg: 'none' }))}.${base64url.encode(JSON.stringify({ client_id: eClient.client_id, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid' }))}.`);
    assert.equal((await enc.authorize(eClient, { request_uri: `${RP}/ro-none-3` })).get('error'), 'invalid_request', 'unencrypted refused');
    const encJwk = (await jwksOf(enc)).keys.find((k) => k.use === 'enc')!;
    rpFiles.set('/ro-enc', await new CompactEncrypt(new TextEncoder().encode(rpFiles.get('/ro-none-3')!)).setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256' }).encrypt(await importJWK(encJwk, 'RSA-OAEP')));
    assert.ok((await enc.authorize(eClient, { request_uri: `${RP}/ro-enc` })).get('code'));
  });
});

describe('refresh, mtls, third-party login, logout state', () => {
  it('refresh-token rows: good first ID token, refreshed one tampered', async () => {
    const cases: Array<[string, (claims: Record<string, unknown>, first: Record<string, unknown>, issuer: string) => void]> = [
      ['oidcc-client-test-refresh-token', (c, f, issuer) => { assert.equal(c.iss, issuer); assert.equal(c.sub, f.sub); }],
      ['oidcc-client-test-refresh-token-invalid-issuer', (c, _f, issuer) => assert.equal(c.iss, `${issuer}1`)],
      ['oidcc-client-test-refresh-token-invalid-sub', (c, f) => assert.equal(c.sub, `${String(f.sub)}invalid`)],
    ];
    for (const [id, check] of cases) {
      const driver = rp(id);
      const client = await driver.register();
      assert.ok((client.grant_types as string[]).includes('refresh_token'));
      const tokens = await driver.codeFlow(client);
      const first = decodeJwt(String(tokens.id_token)) as Record<string, unknown>;
      assert.equal(first.iss, driver.issuer);
      assert.ok(typeof tokens.refresh_token === 'string', id);
      const refreshed = await driver.token(client, { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) });
      assert.equal(refreshed.status, 200);
      check(decodeJwt(String(((await refreshed.json()) as Record<string, unknown>).id_token)) as Record<string, unknown>, first, driver.issuer);
    }
  });

  it('mtls-endpoint-aliases: discovery offers aliases that route to the same endpoints, logged as such', async () => {
    const driver = rp('oidcc-client-test-mtls-endpoint-aliases');
    const doc = await driver.discovery();
    const aliases = doc.mtls_endpoint_aliases as Record<string, string>;
    assert.equal(aliases.token_endpoint, `${driver.issuer}/mtls/token`);
    const client = await driver.register();
    const code = (await driver.authorize(client)).get('code')!;
    const response = await driver.fetch(aliases.token_endpoint!, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(client.client_id, client.client_secret) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }).toString(),
    });
    assert.equal(response.status, 200);
    const entry = op.requestsFor(`rp${rpCounter}`, 'oidcc-client-test-mtls-endpoint-aliases').last('token');
    assert.equal(entry?.mtlsAlias, true);
    assert.equal((await rp('oidcc-client-test').discovery()).mtls_endpoint_aliases, undefined);
  });

  it('3rd-party-init-login: the initiate_login_uri with iss, login_hint and target_link_uri', async () => {
    const driver = rp('oidcc-client-test-3rd-party-init-login');
    const client = await driver.register({ initiate_login_uri: `${RP}/login?x=1` });
    const provider = op.opFor(`rp${rpCounter}`, 'oidcc-client-test-3rd-party-init-login');
    const url = new URL(provider.initiateLoginUrl(client.client_id, { login_hint: 'foobar', target_link_uri: `${RP}/home` }));
    assert.equal(url.origin + url.pathname, `${RP}/login`);
    assert.equal(url.searchParams.get('x'), '1');
    assert.equal(url.searchParams.get('iss'), driver.issuer);
    assert.equal(url.searchParams.get('login_hint'), 'foobar');
    assert.equal(url.searchParams.get('target_link_uri'), `${RP}/home`);
    const redirect = await driver.fetch(`${driver.issuer}/initiate_login?client_id=${client.client_id}`, { redirect: 'manual' });
    assert.equal(redirect.status, 303);
    assert.equal(new URL(redirect.headers.get('location')!).searchParams.get('iss'), driver.issuer);
  });

  it('rp-init-logout rows: the state sent, another state, or none', async () => {
    const cases: Array<[string, string | null]> = [
      ['oidcc-client-test-rp-init-logout', 'bye'],
      ['oidcc-client-test-rp-init-logout-other-state', 'bye1'],
      ['oidcc-client-test-rp-init-logout-no-state', null],
    ];
    for (const [id, expected] of cases) {
      const driver = rp(id);
      const client = await driver.register({ post_logout_redirect_uris: [`${RP}/out`] });
      const idToken = await idTokenByCode(driver, client);
      const response = await driver.fetch(`${driver.issuer}/end_session?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: `${RP}/out`, state: 'bye' })}`, { redirect: 'manual' });
      assert.equal(response.status, 303);
      assert.equal(new URL(response.headers.get('location')!).searchParams.get('state'), expected, id);
    }
  });
});

describe('verdict helpers', () => {
  it('requestsAfter and carriedOn tell whether the RP went on after a rejected ID token', async () => {
    const driver = rp('oidcc-client-test-invalid-iss');
    const log = op.requestsFor(`rp${rpCounter}`, 'oidcc-client-test-invalid-iss');
    const test = findConformanceTest('oidcc-client-test-invalid-iss')!;
    const client = await driver.register();
    const tokens = await driver.codeFlow(client);
    assert.deepEqual(carriedOn(test, log, 'code'), []);
    assert.deepEqual(requestsAfter(log, 'token', { endpoints: ['userinfo'] }), []);
    await driver.userinfo(String(tokens.access_token));
    assert.deepEqual(carriedOn(test, log, 'code').map((e) => e.endpoint), ['userinfo']);
    assert.deepEqual(requestsAfter(log, 'discovery'), [], 'no discovery: no point');
    assert.deepEqual(requestsAfter(log, 'registration').map((e) => e.endpoint), ['authorization', 'token', 'userinfo']);
    assert.deepEqual(carriedOn(test, log, 'id_token').map((e) => e.endpoint), ['token', 'userinfo'], 'front-channel ID token: nothing after authorization');
  });

  it('every row carries a behaviour the OP can be built with', () => {
    for (const test of CONFORMANCE_TESTS) {
      const provider = op.opFor('build', testIds(test)[0]!);
      assert.ok(provider.issuer.endsWith(`/build/${testIds(test)[0]!}`));
    }
  });
});

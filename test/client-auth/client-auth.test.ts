/**
 * Client authentication at the token endpoint (OpenID Connect Core 9), each method through
 * tokenEndpointRequest, and Bearer placement (RFC 6750).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { ConfigurationError, type ServiceContext } from '../../src/index.js';
import { applyBearer } from '../../src/client-auth/bearer.js';
import { JWT_BEARER_ASSERTION_TYPE } from '../../src/client-auth/client-assertion.js';
import { CLIENT_AUTH_METHODS, applyClientAuth } from '../../src/client-auth/client-auth.js';
import { KeyJar } from '../../src/key-jar.js';
import { tokenEndpointRequest } from '../../src/services/access-token.js';
import { CLIENT_ID, CLIENT_SECRET, ISSUER, makeContext } from '../fixtures/context.js';
import { isError } from '../fixtures/http.js';
import { rpSigningKey, type KeyPairFixture } from '../fixtures/keys.js';

const TOKEN_ENDPOINT = `${ISSUER}/token`;
const DOCUMENTED_BASIC = 'Basic emxzMnFoTjFqTzZBOmM4NDM0ZjI4Y2Y5Mzc1ZDlhN2YzYjUwZGNmZGY2YTIwZDZlNzAyZTMxMDA2Njg3NGY3OTQ4MTdm';

let rpSig: KeyPairFixture;
let context: ServiceContext;

before(async () => {
  rpSig = await rpSigningKey();
  context = await makeContext({ config: { keys: { import: [rpSig.privateJwk] } } });
});

const request = async (method?: string, ctx: ServiceContext = context) => {
  const params = await tokenEndpointRequest(ctx, new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'rt' }), method);
  return { ...params, form: new URLSearchParams(params.body) };
};

/** Decodes Basic credentials as RFC 6749 2.3.1 says: base64, then each half form-urlencoded. */
function decodeBasic(header: string): [string, string] {
  const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
  const [id, secret] = decoded.split(':') as [string, string];
  const formDecode = (v: string) => new URLSearchParams(`v=${v}`).get('v') ?? '';
  return [formDecode(id), formDecode(secret)];
}

describe('client_secret_basic', () => {
  it('gives the oidcservice documentation\'s Authorization header for zls2qhN1jO6A', async () => {
    const { headers, method, url } = await request('client_secret_basic');
    assert.equal(headers?.['Authorization'], DOCUMENTED_BASIC);
    assert.equal(method, 'POST');
    assert.equal(url, TOKEN_ENDPOINT);
    assert.equal(headers?.['Content-Type'], 'application/x-www-form-urlencoded');
  });

  it('is the default without a registered method', async () => {
    const unregistered = await makeContext({ behaviour: { token_endpoint_auth_method: undefined } });
    const { headers, form } = await request(undefined, unregistered);
    assert.equal(headers?.['Authorization'], DOCUMENTED_BASIC);
    assert.equal(form.get('client_secret'), null);
  });

  it('form-urlencodes the id and secret before base64 (RFC 6749 2.3.1)', async () => {
    const odd = { clientId: 'client:1 ü', clientSecret: 'p@ss w+rd%/:!*\'()~', keyJar: new KeyJar(), audience: TOKEN_ENDPOINT };
    const built = { body: new URLSearchParams(), headers: {} as Record<string, string> };
    await applyClientAuth('client_secret_basic', built, odd);
    const header = built.headers['Authorization'] ?? '';
    const raw = Buffer.from(header.slice(6), 'base64').toString('utf8');
    assert.equal(raw.split(':').length, 2, 'a colon in the id is encoded');
    assert.deepEqual(decodeBasic(header), [odd.clientId, odd.clientSecret]);
  });

  it('refuses without a client secret', async () => {
    await assert.rejects(
      applyClientAuth('client_secret_basic', { body: new URLSearchParams(), headers: {} }, { clientId: CLIENT_ID, keyJar: new KeyJar(), audience: TOKEN_ENDPOINT }),
      isError(ConfigurationError, 'clientAuth'),
    );
  });
});

describe('client_secret_post', () => {
  it('puts client_id and client_secret in the body and no Authorization header', async () => {
    const { headers, form } = await request('client_secret_post');
    assert.equal(form.get('client_id'), CLIENT_ID);
    assert.equal(form.get('client_secret'), CLIENT_SECRET);
    assert.equal(headers?.['Authorization'], undefined);
  });

  it('refuses without a client secret', async () => {
    await assert.rejects(
      applyClientAuth('client_secret_post', { body: new URLSearchParams(), headers: {} }, { clientId: CLIENT_ID, keyJar: new KeyJar(), audience: TOKEN_ENDPOINT }),
      isError(ConfigurationError, 'clientAuth'),
    );
  });
});

describe('client_secret_jwt', () => {
  it('sends an HS256 assertion signed with the client secret, for the token endpoint', async () => {
    const { headers, form } = await request('client_secret_jwt');
    assert.equal(headers?.['Authorization'], undefined);
    assert.equal(form.get('client_secret'), null);
    assert.equal(form.get('client_assertion_type'), JWT_BEARER_ASSERTION_TYPE);
    const assertion = form.get('client_assertion') ?? '';
    const { payload, protectedHeader } = await jwtVerify(assertion, new TextEncoder().encode(CLIENT_SECRET), {
      algorithms: ['HS256'],
      issuer: CLIENT_ID,
      subject: CLIENT_ID,
      audience: TOKEN_ENDPOINT,
    });
    assert.equal(protectedHeader.alg, 'HS256');
    assert.equal(typeof payload.jti, 'string');
    assert.ok(typeof payload.exp === 'number' && typeof payload.iat === 'number' && payload.exp > payload.iat);
  });

  it('uses a registered HS512, never an asymmetric algorithm', async () => {
    const hs512 = await makeContext({ behaviour: { token_endpoint_auth_signing_alg: 'HS512' } });
    const { form } = await request('client_secret_jwt', hs512);
    assert.equal(decodeProtectedHeader(form.get('client_assertion') ?? '').alg, 'HS512');
    const rs = await makeContext({ behaviour: { token_endpoint_auth_signing_alg: 'RS256' } });
    const { form: rsForm } = await request('client_secret_jwt', rs);
    assert.equal(decodeProtectedHeader(rsForm.get('client_assertion') ?? '').alg, 'HS256');
  });

  it('gives a fresh jti each time', async () => {
    const a = await request('client_secret_jwt');
    const b = await request('client_secret_jwt');
    const jti = async (form: URLSearchParams) => (await jwtVerify(form.get('client_assertion') ?? '', new TextEncoder().encode(CLIENT_SECRET))).payload.jti;
    assert.notEqual(await jti(a.form), await jti(b.form));
  });

  it('does not verify with another secret', async () => {
    const { form } = await request('client_secret_jwt');
    await assert.rejects(jwtVerify(form.get('client_assertion') ?? '', new TextEncoder().encode('other-secret')), (e: unknown) => (e as { code?: string }).code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('refuses without a client secret', async () => {
    const noSecret = await makeContext({ config: { client_secret: undefined } });
    await assert.rejects(request('client_secret_jwt', noSecret), isError(ConfigurationError, 'clientAuth'));
  });
});

describe('private_key_jwt', () => {
  it('sends an RS256 assertion signed with the RP\'s key, verifiable with its public JWKS', async () => {
    const { headers, form } = await request('private_key_jwt');
    assert.equal(headers?.['Authorization'], undefined);
    assert.equal(form.get('client_secret'), null);
    assert.equal(form.get('client_assertion_type'), JWT_BEARER_ASSERTION_TYPE);
    const assertion = form.get('client_assertion') ?? '';
    const jwks = createLocalJWKSet(context.keyJar.ownPublicJwks());
    const { payload, protectedHeader } = await jwtVerify(assertion, jwks, { issuer: CLIENT_ID, subject: CLIENT_ID, audience: TOKEN_ENDPOINT });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(protectedHeader.kid, rpSig.kid);
    assert.equal(typeof payload.jti, 'string');
  });

  it('is not signed with the client secret', async () => {
    const { form } = await request('private_key_jwt');
    await assert.rejects(jwtVerify(form.get('client_assertion') ?? '', new TextEncoder().encode(CLIENT_SECRET), { algorithms: ['HS256'] }), (e: unknown) => (e as { code?: string }).code === 'ERR_JOSE_ALG_NOT_ALLOWED');
  });

  it('refuses when the RP has no private key', async () => {
    const keyless = await makeContext();
    await assert.rejects(request('private_key_jwt', keyless), isError(ConfigurationError, 'signJwt'));
  });
});

describe('none', () => {
  it('sends only client_id', async () => {
    const { headers, form } = await request('none');
    assert.equal(form.get('client_id'), CLIENT_ID);
    assert.equal(form.get('client_secret'), null);
    assert.equal(form.get('client_assertion'), null);
    assert.equal(headers?.['Authorization'], undefined);
  });
});

describe('applyClientAuth', () => {
  it('knows the five methods and refuses others', async () => {
    assert.deepEqual([...CLIENT_AUTH_METHODS], ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none']);
    await assert.rejects(request('tls_client_auth'), isError(ConfigurationError, 'clientAuth'));
  });

  it('uses the registered method', async () => {
    const post = await makeContext({ behaviour: { token_endpoint_auth_method: 'client_secret_post' } });
    const { form, headers } = await request(undefined, post);
    assert.equal(form.get('client_secret'), CLIENT_SECRET);
    assert.equal(headers?.['Authorization'], undefined);
  });
});

describe('applyBearer', () => {
  it('bearer_header sets Authorization: Bearer', () => {
    const built = { body: new URLSearchParams(), headers: {} as Record<string, string> };
    applyBearer('bearer_header', built, 'at-123');
    assert.equal(built.headers['Authorization'], 'Bearer at-123');
    assert.equal(built.body.get('access_token'), null);
  });

  it('bearer_body puts access_token in the form body', () => {
    const built = { body: new URLSearchParams(), headers: {} as Record<string, string> };
    applyBearer('bearer_body', built, 'at-123');
    assert.equal(built.body.get('access_token'), 'at-123');
    assert.equal(built.headers['Authorization'], undefined);
  });
});

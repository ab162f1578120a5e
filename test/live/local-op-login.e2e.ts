/**
 * A real login against the local oidc-provider through Chromium: authorization code flow with
 * PKCE, the query and form_post response modes, the token exchange (client_secret_basic and
 * private_key_jwt), ID token verification, userinfo and a refresh token.
 *
 * Needs a Chromium (see live/browser.ts); without one the test fails with the message saying
 * how to get one.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { launchBrowser } from '../../live/browser.js';
import { startCallbackListener, type CallbackListener } from '../../live/callback-listener.js';
import { defaultLocalClients, startLocalOp, type LocalOp, type LocalOpClient } from '../../live/local-op.js';
import { loginThroughBrowser } from '../../live/login.js';
import { oidcProviderRecipe } from '../../live/login-recipes/index.js';

/** The token endpoint's JSON answer (the fields this test reads). */
interface TokenResponse {
  access_token?: string;
  id_token?: string;
  refresh_token?: string;
  token_type?: string;
  scope?: string;
  error?: string;
  error_description?: string;
}

/** The discovery fields this test uses. */
interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
}

const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;
const CREDENTIALS = { username: 'alice', password: PASSWORD };

describe('local OP login through Chromium', { timeout: 120_000 }, () => {
  let listener: CallbackListener | undefined;
  let op: LocalOp | undefined;
  let browser: Browser | undefined;
  let discovery: Discovery;
  let rpPrivateKey: CryptoKey;
  let clients: { basic: LocalOpClient; jwt: LocalOpClient };
  let jwks: ReturnType<typeof createRemoteJWKSet>;

  before(async () => {
    listener = await startCallbackListener();
    const rpKeys = await generateKeyPair('ES256');
    rpPrivateKey = rpKeys.privateKey;
    const rpPublicJwk = { ...(await exportJWK(rpKeys.publicKey)), kid: 'rp-1', alg: 'ES256', use: 'sig' };
    const all = defaultLocalClients(`${listener.url}/cb`, `${listener.url}/logged-out`, { keys: [rpPublicJwk] });
    clients = {
      basic: all.find((c) => c.token_endpoint_auth_method === 'client_secret_basic')!,
      jwt: all.find((c) => c.token_endpoint_auth_method === 'private_key_jwt')!,
    };

    const opStarted = performance.now();
    op = await startLocalOp({ clients: all });
    console.log(`local OP started in ${Math.round(performance.now() - opStarted)} ms at ${op.issuer}`);
    discovery = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json() as Discovery;
    jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));

    const browserStarted = performance.now();
    browser = await launchBrowser();
    console.log(`Chromium launched in ${Math.round(performance.now() - browserStarted)} ms`);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await op?.close();
    await listener?.close();
  });

  /** Builds an authorization request by hand, logs in through the browser, returns the callback. */
  /** The browser login at `url` with the oidc-provider recipe, back at the listener's callback. */
  function loginAt(url: URL) {
    return { browser: browser!, url: url.href, recipe: oidcProviderRecipe, credentials: CREDENTIALS, returnUrlPrefix: `${listener!.url}/cb`, timeoutMs: 20_000 };
  }

  async function authorizeAndLogin(client: LocalOpClient, extra: Record<string, string>) {
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const url = new URL(discovery.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: client.redirect_uris[0]!,
      response_type: 'code',
      scope: 'openid',
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...extra,
    }).toString();

    const shots: string[] = [];
    const started = performance.now();
    const result = await loginThroughBrowser({
      ...loginAt(url),
      screenshot: (name, png) => {
        assert.ok(png.length > 1000, `screenshot ${name} is a PNG`);
        shots.push(name);
      },
    });
    console.log(`one login took ${Math.round(performance.now() - started)} ms`);
    assert.equal(result.status, 200);
    assert.ok(result.finalUrl.startsWith(`${listener!.url}/cb`));
    assert.deepEqual(shots, ['login-filled', 'after-redirect']);

    const callback = await listener!.waitForRequest((r) => r.params.get('state') === state, 5_000);
    assert.equal(callback.params.get('error'), null, callback.params.get('error_description') ?? '');
    const code = callback.params.get('code');
    assert.ok(code, 'the callback carries a code');
    assert.equal(callback.params.get('iss'), op!.issuer);
    assert.ok(!callback.body.includes(PASSWORD) && !callback.url.includes(PASSWORD));
    return { code, state, nonce, verifier, callback };
  }

  async function token(body: Record<string, string>, headers: Record<string, string> = {}): Promise<TokenResponse> {
    const response = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(body),
    });
    const json = await response.json() as TokenResponse;
    assert.equal(response.status, 200, `token endpoint: ${json.error ?? ''} ${json.error_description ?? ''}`);
    return json;
  }

  function basicAuth(client: LocalOpClient): Record<string, string> {
    const encode = (s: string) => encodeURIComponent(s);
    const pair = `${encode(client.client_id)}:${encode(client.client_secret!)}`;
    return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
  }

  async function verifyIdToken(idToken: string | undefined, clientId: string, nonce: string) {
    assert.ok(idToken, 'an id_token is issued');
    const { payload, protectedHeader } = await jwtVerify(idToken, jwks, { issuer: op!.issuer, audience: clientId });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.nonce, nonce);
    assert.equal(payload.sub, CREDENTIALS.username);
    return payload;
  }

  it('code flow with the query response mode and client_secret_basic', async () => {
    const { code, nonce, verifier, callback } = await authorizeAndLogin(clients.basic, {});
    assert.equal(callback.method, 'GET');
    const tokens = await token(
      { grant_type: 'authorization_code', code, redirect_uri: clients.basic.redirect_uris[0]!, code_verifier: verifier },
      basicAuth(clients.basic),
    );
    await verifyIdToken(tokens.id_token, clients.basic.client_id, nonce);
    assert.equal(tokens.refresh_token, undefined, 'no refresh token without offline_access');
  });

  it('code flow with response_mode=form_post, userinfo and a refresh token (offline_access)', async () => {
    const { code, nonce, verifier, callback } = await authorizeAndLogin(clients.basic, {
      response_mode: 'form_post',
      scope: 'openid profile email offline_access',
      prompt: 'consent',
    });
    assert.equal(callback.method, 'POST');
    assert.match(callback.headers.get('content-type') ?? '', /^application\/x-www-form-urlencoded/);
    assert.equal(new URL(callback.url).search, '', 'the code came in the body, not the query');

    const tokens = await token(
      { grant_type: 'authorization_code', code, redirect_uri: clients.basic.redirect_uris[0]!, code_verifier: verifier },
      basicAuth(clients.basic),
    );
    await verifyIdToken(tokens.id_token, clients.basic.client_id, nonce);
    assert.ok(tokens.access_token);
    assert.ok(tokens.refresh_token, 'a refresh token is issued for offline_access');

    const userinfo = await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(userinfo.status, 200);
    assert.deepEqual(await userinfo.json(), {
      sub: 'alice',
      name: 'Alice Tester',
      given_name: 'Alice',
      family_name: 'Tester',
      email: 'alice@example.test',
      email_verified: true,
    });

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, basicAuth(clients.basic));
    assert.ok(refreshed.access_token);
    assert.ok(refreshed.id_token);
  });

  it('code flow with a private_key_jwt client', async () => {
    const { code, nonce, verifier } = await authorizeAndLogin(clients.jwt, {});
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'rp-1' })
      .setIssuer(clients.jwt.client_id)
      .setSubject(clients.jwt.client_id)
      .setAudience(op!.issuer)
      .setJti(randomBytes(16).toString('base64url'))
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(rpPrivateKey);
    const tokens = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: clients.jwt.redirect_uris[0]!,
      code_verifier: verifier,
      client_id: clients.jwt.client_id,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    await verifyIdToken(tokens.id_token, clients.jwt.client_id, nonce);
  });

  it('names the failed step and never shows the password when the OP refuses the request', async () => {
    const url = new URL(discovery.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: 'unknown-client',
      redirect_uri: `${listener!.url}/cb`,
      response_type: 'code',
      scope: 'openid',
    }).toString();
    await assert.rejects(
      loginThroughBrowser(loginAt(url)),
      (error: Error) => {
        assert.match(error.message, /^login step: step 1 \(fill input\[name="login"\] from \$username\): the page came to rest without it/);
        assert.match(error.message, /invalid_client/);
        assert.ok(!error.message.includes(PASSWORD) && !String(error.stack).includes(PASSWORD));
        return true;
      },
    );
    assert.deepEqual(op!.serverErrors, []);
  });
});

/** ServiceContext: what it is created with, what it requires, and save/restore through its store. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigurationError, LevelStore, MemoryStore, ServiceContext, type RPConfig } from '../../src/index.js';
import { CONTEXT_KEY } from '../../src/service-context.js';
import { CLIENT_ID, CLIENT_SECRET, ISSUER, NOW, makeContext, documentedProviderInfo } from '../fixtures/context.js';
import { isError } from '../fixtures/http.js';
import { opSigningKey } from '../fixtures/keys.js';

const dynamic: RPConfig = {
  base_url: 'https://example.org/rp/',
  redirect_uris: ['https://example.org/rp/authz_cb'],
  issuer: ISSUER,
  client_preferences: {
    application_type: 'web',
    response_types: ['code'],
    scope: ['openid', 'profile', 'email'],
    token_endpoint_auth_method: ['client_secret_basic', 'client_secret_post'],
  },
  keys: { generate: ['ES256'] },
};

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'service-context-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ServiceContext.create', () => {
  it('takes a static configuration as it is', async () => {
    const context = await makeContext();
    assert.equal(context.issuer, ISSUER);
    assert.equal(context.clientId, CLIENT_ID);
    assert.equal(context.clientSecret, CLIENT_SECRET);
    assert.equal(context.behaviour['token_endpoint_auth_method'], 'client_secret_basic');
    assert.equal(context.endpoint('token_endpoint'), `${ISSUER}/token`);
    assert.equal(context.now(), NOW);
    assert.equal(context.clockSkew, 60);
    assert.equal(context.pkce, true);
    assert.deepEqual(context.keyJar.issuerKeys(ISSUER).map((k) => k.kid), [(await opSigningKey()).kid]);
  });

  it('takes the client from a static registration_response', async () => {
    const context = await ServiceContext.create({
      base_url: 'https://example.org',
      redirect_uris: ['https://example.org/cb'],
      behaviour: {},
      registration_response: { client_id: 'reg-client', client_secret: 'reg-secret', registration_access_token: 'rat-123456', client_secret_expires_at: 0 },
    });
    assert.equal(context.clientId, 'reg-client');
    assert.equal(context.clientSecret, 'reg-secret');
    assert.equal(context.clientSecretExpiresAt, 0);
    assert.deepEqual(context.secrets(), ['reg-secret', 'rat-123456']);
  });

  it('strips trailing slashes from base_url and requests_dir', async () => {
    const context = await ServiceContext.create({ ...dynamic, requests_dir: '/req/' });
    assert.equal(context.baseUrl, 'https://example.org/rp');
    assert.equal(context.requestsDir, 'req');
  });

  it('requires an issuer, a client_id and endpoints before they are known', async () => {
    const context = await ServiceContext.create({ base_url: 'https://example.org', redirect_uris: ['https://example.org/cb'] });
    assert.throws(() => context.requireIssuer(), isError(ConfigurationError, 'contextIssuer'));
    assert.throws(() => context.requireClientId(), isError(ConfigurationError, 'contextClientId'));
    assert.throws(() => context.endpoint('token_endpoint'), isError(ConfigurationError, 'contextEndpoint'));
    const known = await makeContext({ providerInfo: { end_session_endpoint: undefined } });
    assert.throws(() => known.endpoint('end_session_endpoint'), isError(ConfigurationError, 'contextEndpoint', (e) => e.message.includes('end_session_endpoint')));
  });

  it('chooses the redirect URI by response type and mode', async () => {
    const context = await ServiceContext.create({
      base_url: 'https://example.org',
      callback: { code: 'https://example.org/code_cb', implicit: 'https://example.org/implicit_cb', form_post: 'https://example.org/post_cb' },
    });
    assert.equal(context.redirectUriFor('code'), 'https://example.org/code_cb');
    assert.equal(context.redirectUriFor('id_token token'), 'https://example.org/implicit_cb');
    assert.equal(context.redirectUriFor('code id_token'), 'https://example.org/implicit_cb');
    assert.equal(context.redirectUriFor('code', 'form_post'), 'https://example.org/post_cb');
    assert.deepEqual([...context.redirectUris].sort(), ['https://example.org/code_cb', 'https://example.org/implicit_cb', 'https://example.org/post_cb']);
    const plain = await makeContext();
    assert.equal(plain.redirectUriFor('id_token'), 'https://example.org/authz_cb');
  });

  it('setProviderInfo matches the preferences into behaviour; configured behaviour wins', async () => {
    const context = await ServiceContext.create({ ...dynamic, behaviour: { scope: ['openid'] } });
    context.setProviderInfo(documentedProviderInfo());
    assert.equal(context.issuer, ISSUER);
    assert.equal(context.behaviour['token_endpoint_auth_method'], 'client_secret_basic');
    assert.deepEqual(context.behaviour['response_types'], ['code']);
    assert.deepEqual(context.behaviour['scope'], ['openid']);
  });

  it('setProviderInfo fails with matchPreferences when the OP supports nothing the RP wants', async () => {
    const context = await ServiceContext.create(dynamic);
    assert.throws(
      () => context.setProviderInfo(documentedProviderInfo({ token_endpoint_auth_methods_supported: ['private_key_jwt'] })),
      isError(ConfigurationError, 'matchPreferences', (e) => e.detail['parameter'] === 'token_endpoint_auth_method'),
    );
  });
});

describe('ServiceContext save and restore', () => {
  async function learn(context: ServiceContext): Promise<void> {
    context.setProviderInfo(documentedProviderInfo());
    context.clientId = 'learnt-client';
    context.clientSecret = 'learnt-secret';
    context.registrationAccessToken = 'learnt-rat';
    context.registrationResponse = { client_id: 'learnt-client', client_secret: 'learnt-secret' };
    await context.save();
  }

  it('restores what was learnt from a MemoryStore shared with a new context', async () => {
    const store = new MemoryStore();
    const first = await ServiceContext.create(dynamic, { store });
    await learn(first);
    assert.ok(await store.get(CONTEXT_KEY));

    const second = await ServiceContext.create(dynamic, { store });
    assert.equal(second.issuer, ISSUER);
    assert.equal(second.clientId, 'learnt-client');
    assert.equal(second.clientSecret, 'learnt-secret');
    assert.equal(second.registrationAccessToken, 'learnt-rat');
    assert.deepEqual(second.providerInfo, first.providerInfo);
    assert.deepEqual(second.behaviour, first.behaviour);
    assert.deepEqual(second.keyJar.exportOwnKeys(), first.keyJar.exportOwnKeys(), 'the RP keeps its generated keys');
  });

  it('does not restore what another configuration saved', async () => {
    const store = new MemoryStore();
    await learn(await ServiceContext.create(dynamic, { store }));
    const other = await ServiceContext.create({ ...dynamic, base_url: 'https://other.example.org' }, { store });
    assert.equal(other.clientId, undefined);
    assert.equal(other.providerInfo, undefined);
  });

  it('restores from a LevelStore after close and reopen', async () => {
    const path = join(dir, 'context');
    let store = await LevelStore.open(path);
    const first = await ServiceContext.create(dynamic, { store });
    await learn(first);
    const kids = first.keyJar.exportOwnKeys().map((k) => k.kid);
    await store.close();

    store = await LevelStore.open(path);
    try {
      const second = await ServiceContext.create(dynamic, { store });
      assert.equal(second.clientId, 'learnt-client');
      assert.equal(second.endpoint('token_endpoint'), `${ISSUER}/token`);
      assert.deepEqual(second.keyJar.exportOwnKeys().map((k) => k.kid), kids);
    } finally {
      await store.close();
    }
  });
});

/** validateConfig: every mistake fails at start, naming the setting. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError, ServiceContext, validateConfig, type RPConfig } from '../../src/index.js';
import { isError } from '../fixtures/http.js';

const dynamic: RPConfig = {
  base_url: 'https://example.org/rp',
  redirect_uris: ['https://example.org/rp/authz_cb'],
  issuer: 'https://example.com',
  client_preferences: { response_types: ['code'], token_endpoint_auth_method: ['client_secret_basic', 'client_secret_post'] },
};

const staticClient: RPConfig = {
  base_url: 'https://example.org/rp',
  redirect_uris: ['https://example.org/rp/authz_cb'],
  client_id: 'client',
  client_secret: 'secret',
  behaviour: { response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' },
  provider_info: { issuer: 'https://example.com', authorization_endpoint: 'https://example.com/authorization' },
};

/** A configuration error naming `setting` (a dotted path; `(root)` for the whole configuration). */
const invalid = (setting: string) =>
  isError(ConfigurationError, 'configSetting', (e) => {
    const problems = (e.detail['problems'] as Array<{ setting: string }> | undefined) ?? [{ setting: e.setting ?? '' }];
    return problems.some((p) => p.setting === setting || p.setting.startsWith(`${setting}[`) || p.setting.startsWith(`${setting}.`));
  });

describe('validateConfig', () => {
  it('accepts a dynamic and a static configuration', () => {
    assert.doesNotThrow(() => validateConfig(dynamic));
    assert.doesNotThrow(() => validateConfig(staticClient));
  });

  it('accepts callback URIs instead of redirect_uris', () => {
    const { redirect_uris: _r, ...rest } = dynamic;
    assert.doesNotThrow(() => validateConfig({ ...rest, callback: { code: 'https://example.org/rp/cb', implicit: 'https://example.org/rp/icb' } }));
  });

  it('rejects missing redirect_uris (and no callback)', () => {
    const { redirect_uris: _r, ...rest } = dynamic;
    assert.throws(() => validateConfig(rest), invalid('redirect_uris'));
  });

  it('rejects empty redirect_uris', () => {
    assert.throws(() => validateConfig({ ...dynamic, redirect_uris: [] }), invalid('redirect_uris'));
  });

  it('rejects redirect_uris that is not a list', () => {
    assert.throws(() => validateConfig({ ...dynamic, redirect_uris: 'https://example.org/cb' as unknown as string[] }), invalid('redirect_uris'));
  });

  it('rejects a relative redirect URI and one with a fragment', () => {
    assert.throws(() => validateConfig({ ...dynamic, redirect_uris: ['/authz_cb'] }), invalid('redirect_uris'));
    assert.throws(() => validateConfig({ ...dynamic, redirect_uris: ['https://example.org/cb#frag'] }), invalid('redirect_uris'));
  });

  it('rejects an unknown client authentication method, in behaviour and in client_preferences', () => {
    assert.throws(
      () => validateConfig({ ...staticClient, behaviour: { token_endpoint_auth_method: 'client_secret_magic' } }),
      isError(ConfigurationError, 'configSetting', (e) => e.setting === 'behaviour.token_endpoint_auth_method' && e.message.includes('behaviour.token_endpoint_auth_method') && e.message.includes('client_secret_magic')),
    );
    assert.throws(
      () => validateConfig({ ...dynamic, client_preferences: { token_endpoint_auth_method: ['client_secret_basic', 'tls_client_auth_typo'] } }),
      invalid('client_preferences.token_endpoint_auth_method'),
    );
  });

  it('accepts every known client authentication method', () => {
    for (const method of ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none']) {
      assert.doesNotThrow(() => validateConfig({ ...staticClient, behaviour: { token_endpoint_auth_method: method } }), method);
    }
  });

  it('rejects an http issuer without allow.http_links', () => {
    assert.throws(() => validateConfig({ ...dynamic, issuer: 'http://example.com' }), invalid('issuer'));
  });

  it('accepts an http issuer with allow.http_links', () => {
    assert.doesNotThrow(() => validateConfig({ ...dynamic, issuer: 'http://127.0.0.1:8080', allow: { http_links: true } }));
  });

  it('rejects an issuer that is not a URL', () => {
    assert.throws(() => validateConfig({ ...dynamic, issuer: 'example.com' }), invalid('issuer'));
  });

  it('rejects an http provider_info issuer without allow.http_links', () => {
    assert.throws(
      () => validateConfig({ ...staticClient, provider_info: { issuer: 'http://example.com' } }),
      invalid('provider_info.issuer'),
    );
  });

  it('rejects a static client without behaviour', () => {
    const { behaviour: _b, ...rest } = staticClient;
    assert.throws(() => validateConfig(rest), invalid('behaviour'));
  });

  it('rejects a static registration_response without behaviour, and one without client_id', () => {
    const { behaviour: _b, client_id: _c, ...rest } = staticClient;
    assert.throws(() => validateConfig({ ...rest, registration_response: { client_id: 'c' } }), invalid('behaviour'));
    assert.throws(
      () => validateConfig({ ...rest, behaviour: {}, registration_response: {} as unknown as { client_id: string } }),
      invalid('registration_response'),
    );
  });

  it('rejects a missing or relative base_url', () => {
    assert.throws(() => validateConfig({ ...dynamic, base_url: '' }), invalid('base_url'));
    assert.throws(() => validateConfig({ ...dynamic, base_url: '/rp' }), invalid('base_url'));
  });

  it('rejects a negative or non-numeric clock_skew', () => {
    assert.throws(() => validateConfig({ ...dynamic, clock_skew: -1 }), invalid('clock_skew'));
    assert.throws(() => validateConfig({ ...dynamic, clock_skew: '60' as unknown as number }), invalid('clock_skew'));
  });

  it('rejects what is not an object', () => {
    assert.throws(() => validateConfig(null as unknown as RPConfig), invalid('(root)'));
  });

  it('runs in ServiceContext.create, before anything else', async () => {
    await assert.rejects(ServiceContext.create({ ...dynamic, issuer: 'http://example.com' }), invalid('issuer'));
  });

  it('reports every problem at once, each naming its setting, in one ConfigurationError', () => {
    const bad = { ...dynamic, base_url: '/rp', redirect_uris: ['https://example.org/cb#f'], clock_skew: -1, pending_login_lifetime: 0, session_lifetime: 1.5, max_pending_logins: 0, colour: 'blue' } as unknown as RPConfig;
    assert.throws(() => validateConfig(bad), (error: unknown) => {
      assert.ok(error instanceof ConfigurationError && error.check === 'configSetting');
      const settings = (error.detail['problems'] as Array<{ setting: string }>).map((p) => p.setting).sort();
      assert.deepEqual(settings, ['base_url', 'clock_skew', 'colour', 'max_pending_logins', 'pending_login_lifetime', 'redirect_uris[0]', 'session_lifetime']);
      for (const setting of settings) assert.ok(error.message.includes(`  - ${setting}: `), `the message names ${setting}`);
      assert.match(error.message, /^the configuration has 7 problems:/);
      return true;
    });
  });

  it('accepts the lifetimes, bounds and allowances, and refuses them out of range', () => {
    assert.doesNotThrow(() => validateConfig({ ...dynamic, pending_login_lifetime: 300, session_lifetime: 28_800, max_pending_logins: 50_000, max_session_bytes: 65_536, third_party_login_issuers: ['https://op.example.com'], allow: { private_addresses: true, unchecked_hosts: ['op.test'] } }));
    assert.throws(() => validateConfig({ ...dynamic, pending_login_lifetime: 86_401 }), invalid('pending_login_lifetime'));
    assert.throws(() => validateConfig({ ...dynamic, max_session_bytes: 100 }), invalid('max_session_bytes'));
    assert.throws(() => validateConfig({ ...dynamic, third_party_login_issuers: ['http://op.example.com'] }), invalid('third_party_login_issuers'));
    assert.throws(() => validateConfig({ ...dynamic, allow: { unchecked_hosts: ['https://op.example.com/'] } }), invalid('allow.unchecked_hosts'));
    assert.throws(() => validateConfig({ ...dynamic, allow: { private_adresses: true } as never }), invalid('allow.private_adresses'));
  });

  it('refuses, at start, an algorithm the RP would register without a key for it, naming the setting', async () => {
    for (const [setting, alg] of [['id_token_encrypted_response_alg', 'RSA-OAEP-256'], ['userinfo_encrypted_response_alg', 'ECDH-ES+A128KW'], ['request_object_signing_alg', 'PS256']] as const) {
      await assert.rejects(ServiceContext.create({ ...dynamic, client_preferences: { ...dynamic.client_preferences, [setting]: alg } }), isError(ConfigurationError, 'configSetting', (e) => e.setting === `client_preferences.${setting}` && e.message.includes(alg)), setting);
      // With the key generated, the same configuration starts.
      await ServiceContext.create({ ...dynamic, client_preferences: { ...dynamic.client_preferences, [setting]: alg }, keys: { generate: [alg] } });
    }
    // Symmetric algorithms use the client secret: nothing to generate.
    await ServiceContext.create({ ...dynamic, client_preferences: { ...dynamic.client_preferences, id_token_encrypted_response_alg: 'A128KW' } });
  });

  it('refuses a bad ServiceContext construction with a typed error naming the option', async () => {
    await assert.rejects(ServiceContext.create(dynamic, null as never), invalid('(options)'));
    await assert.rejects(ServiceContext.create(dynamic, { store: { get: async () => undefined } } as never), isError(ConfigurationError, 'configSetting', (e) => e.setting === '(options).store' && /set, delete, compareAndSet/.test(e.message)));
    await assert.rejects(ServiceContext.create(dynamic, { now: 5 } as never), invalid('(options).now'));
    await assert.rejects(ServiceContext.create(undefined as never), invalid('(root)'));
  });
});

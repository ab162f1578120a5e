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
const invalid = (setting: string) => isError(ConfigurationError, 'configSetting', (e) => e.setting === setting);

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
      isError(ConfigurationError, 'configSetting', (e) => e.setting === 'behaviour.token_endpoint_auth_method' && e.message.includes('client_secret_magic')),
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
});

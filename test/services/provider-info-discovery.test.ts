/** Provider info discovery (OpenID Connect Discovery 1.0 section 4), with the oidcservice documentation's document. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError, ResponseError, ServiceContext, VerificationError, type RPConfig } from '../../src/index.js';
import { ProviderInfoDiscovery, checkProviderMetadata } from '../../src/services/provider-info-discovery.js';
import { WebFinger } from '../../src/services/webfinger.js';
import { documentedProviderInfo } from '../fixtures/context.js';
import { httpResponse, isError } from '../fixtures/http.js';

const config: RPConfig = {
  base_url: 'https://example.org/rp',
  redirect_uris: ['https://example.org/rp/authz_cb'],
  issuer: 'https://example.com',
  // The fake OP answers in process, under a name no DNS knows: the address guard leaves it alone.
  allow: { unchecked_hosts: ['example.com'] },
  client_preferences: {
    application_type: 'web',
    response_types: ['code'],
    scope: ['openid', 'profile', 'email', 'address', 'phone'],
    token_endpoint_auth_method: ['client_secret_basic', 'client_secret_post'],
  },
};

const discovery = async (extra: Partial<RPConfig> = {}) => new ProviderInfoDiscovery(await ServiceContext.create({ ...config, ...extra }));

describe('ProviderInfoDiscovery request', () => {
  it('gives the oidcservice documentation\'s URL after WebFinger found the issuer', async () => {
    const context = await ServiceContext.create({ base_url: 'https://example.org/rp', redirect_uris: ['https://example.org/rp/authz_cb'] });
    const webfinger = new WebFinger(context);
    await webfinger.updateServiceContext(await webfinger.parseResponse({ links: [{ rel: 'http://openid.net/specs/connect/1.0/issuer', href: 'https://example.com' }] }));
    const info = await new ProviderInfoDiscovery(context).getRequestParameters();
    assert.deepEqual(info, { method: 'GET', url: 'https://example.com/.well-known/openid-configuration' });
  });

  it('keeps the issuer\'s path and drops a trailing slash', async () => {
    const service = await discovery();
    assert.equal((await service.getRequestParameters({ issuer: 'https://example.com/tenant/' })).url, 'https://example.com/tenant/.well-known/openid-configuration');
  });

  it('refuses an http issuer unless allow.http_links', async () => {
    await assert.rejects((await discovery()).getRequestParameters({ issuer: 'http://example.com' }), isError(VerificationError, 'checkIssuerUrl'));
    const lenient = await discovery({ allow: { http_links: true } });
    assert.equal((await lenient.getRequestParameters({ issuer: 'http://127.0.0.1:9000' })).url, 'http://127.0.0.1:9000/.well-known/openid-configuration');
  });

  it('needs an issuer', async () => {
    const context = await ServiceContext.create({ base_url: 'https://example.org', redirect_uris: ['https://example.org/cb'] });
    await assert.rejects(new ProviderInfoDiscovery(context).getRequestParameters(), isError(ConfigurationError, 'contextIssuer'));
  });
});

describe('ProviderInfoDiscovery response', () => {
  it('parses the oidcservice documentation\'s document and records it, matching the preferences', async () => {
    const service = await discovery();
    await service.getRequestParameters();
    const info = await service.parseResponse(httpResponse(documentedProviderInfo()));
    assert.equal(info.issuer, 'https://example.com');
    await service.updateServiceContext(info);
    const context = service.context;
    assert.equal(context.providerInfo?.issuer, 'https://example.com');
    assert.equal(context.providerInfo?.authorization_endpoint, 'https://example.com/authorization');
    assert.equal(context.behaviour['token_endpoint_auth_method'], 'client_secret_basic');
    assert.deepEqual(context.behaviour['scope'], ['openid', 'profile', 'email', 'address', 'phone']);
  });

  it('rejects a document whose issuer is not the one asked for', async () => {
    const service = await discovery();
    await service.getRequestParameters();
    await assert.rejects(
      service.parseResponse(httpResponse(documentedProviderInfo({ issuer: 'https://impostor.example.com' }))),
      isError(VerificationError, 'checkDiscoveryIssuer', (e) => e.detail['service'] === 'provider_info'),
    );
  });

  it('compares with the issuer the request was built for, not the configured one', async () => {
    const service = await discovery();
    await service.getRequestParameters({ issuer: 'https://other.example.com' });
    await assert.rejects(service.parseResponse(httpResponse(documentedProviderInfo())), isError(VerificationError, 'checkDiscoveryIssuer'));
  });

  it('accepts the mismatch with allow.issuer_mismatch', async () => {
    const service = await discovery({ allow: { issuer_mismatch: true } });
    await service.getRequestParameters();
    const info = await service.parseResponse(httpResponse(documentedProviderInfo({ issuer: 'https://impostor.example.com' })));
    assert.equal(info.issuer, 'https://impostor.example.com');
  });

  it('rejects missing required metadata, naming the member', async () => {
    const service = await discovery();
    const { jwks_uri: _drop, ...withoutJwks } = documentedProviderInfo();
    await assert.rejects(service.parseResponse(httpResponse(withoutJwks)), isError(ResponseError, 'checkProviderMetadata', (e) => e.detail['member'] === 'jwks_uri'));
  });

  it('rejects mistyped metadata', async () => {
    assert.throws(() => checkProviderMetadata({ ...documentedProviderInfo(), response_types_supported: 'code' }), isError(ResponseError, 'checkProviderMetadata'));
    assert.throws(() => checkProviderMetadata({ ...documentedProviderInfo(), scopes_supported: ['openid', 3] }), isError(ResponseError, 'checkProviderMetadata'));
    assert.throws(() => checkProviderMetadata({ ...documentedProviderInfo(), token_endpoint: ['https://example.com/token'] }), isError(ResponseError, 'checkProviderMetadata'));
    assert.doesNotThrow(() => checkProviderMetadata({ ...documentedProviderInfo(), claims_parameter_supported: true }));
  });

  it('rejects an http endpoint unless allow.http_links', async () => {
    const service = await discovery();
    await assert.rejects(
      service.parseResponse(httpResponse(documentedProviderInfo({ token_endpoint: 'http://example.com/token' }))),
      isError(VerificationError, 'checkHttps', (e) => e.message.includes('token_endpoint')),
    );
    const lenient = await discovery({ allow: { http_links: true } });
    await lenient.parseResponse(httpResponse(documentedProviderInfo({ token_endpoint: 'http://example.com/token' })));
  });

  it('rejects every other http endpoint the OP supplies, and http mTLS aliases', async () => {
    const service = await discovery();
    for (const [name, extra] of [
      ['pushed_authorization_request_endpoint', { pushed_authorization_request_endpoint: 'http://example.com/par' }],
      ['check_id_endpoint', { check_id_endpoint: 'http://example.com/check_id' }],
      ['mtls_endpoint_aliases.token_endpoint', { mtls_endpoint_aliases: { token_endpoint: 'http://mtls.example.com/token' } }],
    ] as const) {
      await assert.rejects(service.parseResponse(httpResponse(documentedProviderInfo(extra))), isError(VerificationError, 'checkHttps', (e) => e.message.includes(name)), name);
    }
  });

  it('rejects a wrong status, content type, or malformed JSON', async () => {
    const service = await discovery();
    await assert.rejects(service.parseResponse(httpResponse('oops', { status: 500, contentType: 'text/plain' })), isError(ResponseError, 'checkHttpStatus', (e) => e.detail['status'] === 500));
    await assert.rejects(service.parseResponse(httpResponse('<html>', { contentType: 'text/html' })), isError(ResponseError, 'checkContentType'));
    await assert.rejects(service.parseResponse(httpResponse('{"issuer": "https://example.com",', {})), isError(ResponseError, 'parseJson'));
    await assert.rejects(service.parseResponse('[1, 2]'), isError(ResponseError, 'parseJson'));
  });

  it('records the OP\'s jwks_uri so that its keys are fetched when needed', async () => {
    const fetched: string[] = [];
    const context = await ServiceContext.create(config, { jwksFetcher: async (uri) => { fetched.push(uri); return { keys: [] }; } });
    const service = new ProviderInfoDiscovery(context);
    await service.updateServiceContext(await service.parseResponse(httpResponse(documentedProviderInfo())));
    await assert.rejects(context.keyJar.verificationKeys('https://example.com', 'RS256', 'k'), isError(VerificationError, 'selectKey'));
    assert.equal(fetched[0], 'https://example.com/static/jwks_tE2iLbOAqXhe8bqh.json');
  });

  it('fails updateServiceContext with matchPreferences when nothing fits', async () => {
    const service = await discovery();
    const info = await service.parseResponse(httpResponse(documentedProviderInfo({ response_types_supported: ['id_token'] })));
    await assert.rejects(service.updateServiceContext(info), isError(ConfigurationError, 'matchPreferences', (e) => e.detail['parameter'] === 'response_types'));
  });
});

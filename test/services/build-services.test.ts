/** buildServices, serviceRequest, and the helpers every service shares. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_SERVICES, ConfigurationError, OPError, ResponseError, ServiceContext, VerificationError, buildServices, serviceRequest, type HttpClient, type HttpResponse, type RequestParameters, type ServiceSpec } from '../../src/index.js';
import { SERVICE_CLASSES } from '../../src/services/build-services.js';
import { isHttpResponse, mediaType, parseJsonObject, throwIfErrorResponse } from '../../src/services/service.js';
import { httpResponse, isError } from '../fixtures/http.js';

// The fake OP answers in process, under a name no DNS knows: the address guard leaves it alone.
const config = { base_url: 'https://example.org/rp', redirect_uris: ['https://example.org/rp/authz_cb'], allow: { unchecked_hosts: ['example.com'] } };

/** A client that answers from a map of URL to response and records what it was sent. */
function fakeClient(answers: Record<string, HttpResponse>): HttpClient & { sent: RequestParameters[] } {
  const sent: RequestParameters[] = [];
  return {
    sent,
    async send(request) {
      sent.push(request);
      const answer = answers[request.url];
      if (!answer) throw new Error(`unexpected request to ${request.url}`);
      return answer;
    },
  };
}

describe('buildServices', () => {
  it('builds the oidcservice documentation\'s services under the oidcservice documentation\'s identifiers', async () => {
    const spec = { WebFinger: {}, ProviderInfoDiscovery: {}, Registration: {}, Authorization: {}, AccessToken: {}, UserInfo: {} };
    const services = buildServices(spec, await ServiceContext.create(config));
    assert.deepEqual(new Set(Object.keys(services)), new Set(['accesstoken', 'authorization', 'webfinger', 'registration', 'userinfo', 'provider_info']));
    assert.equal(services.webfinger.serviceName, 'webfinger');
    assert.equal(services.accesstoken.context, services.userinfo.context, 'one context for all');
  });

  it('builds every service', async () => {
    const services = buildServices(ALL_SERVICES, await ServiceContext.create(config));
    assert.equal(Object.keys(services).length, Object.keys(SERVICE_CLASSES).length);
    for (const [name, ServiceClass] of Object.entries(SERVICE_CLASSES)) {
      assert.ok(Object.values(services).some((s) => s instanceof ServiceClass), name);
    }
  });

  it('rejects an unknown service name', async () => {
    await assert.rejects(
      (async () => buildServices({ WebFinger: {}, Telepathy: {} } as ServiceSpec, await ServiceContext.create(config)))(),
      isError(ConfigurationError, 'buildServices', (e) => e.message.includes('Telepathy')),
    );
  });
});

describe('serviceRequest', () => {
  const webfingerUrl = 'https://example.com/.well-known/webfinger?resource=acct%3Afoobar%40example.com&rel=http%3A%2F%2Fopenid.net%2Fspecs%2Fconnect%2F1.0%2Fissuer';

  it('builds, sends, parses and records', async () => {
    const context = await ServiceContext.create(config);
    const { webfinger } = buildServices({ WebFinger: {} }, context);
    const client = fakeClient({ [webfingerUrl]: httpResponse({ links: [{ rel: 'http://openid.net/specs/connect/1.0/issuer', href: 'https://example.com' }] }, { contentType: 'application/jrd+json' }) });
    const response = await serviceRequest(webfinger, client, { resource: 'foobar@example.com' });
    assert.equal(response.issuer, 'https://example.com');
    assert.equal(context.issuer, 'https://example.com');
    assert.equal(client.sent.length, 1);
  });

  it('records nothing when verification fails', async () => {
    const context = await ServiceContext.create(config);
    const { webfinger } = buildServices({ WebFinger: {} }, context);
    const client = fakeClient({ [webfingerUrl]: httpResponse({ links: [{ rel: 'http://openid.net/specs/connect/1.0/issuer', href: 'http://example.com' }] }) });
    await assert.rejects(serviceRequest(webfinger, client, { resource: 'foobar@example.com' }), isError(VerificationError, 'checkWebFingerLink'));
    assert.equal(context.issuer, undefined);
  });

  it('refuses to send a request into the private network (checkPublicAddress), sending nothing', async () => {
    const context = await ServiceContext.create({ base_url: 'https://example.org/rp', redirect_uris: ['https://example.org/rp/authz_cb'] });
    const { webfinger } = buildServices({ WebFinger: {} }, context);
    for (const resource of ['alice@169.254.169.254', 'alice@10.0.0.7', 'alice@127.0.0.1', 'https://[fe80::1]/alice', 'https://[::ffff:192.168.1.1]/alice']) {
      const client = fakeClient({});
      await assert.rejects(serviceRequest(webfinger, client, { resource }), isError(VerificationError, 'checkPublicAddress'), resource);
      assert.equal(client.sent.length, 0, resource);
    }
  });
});

describe('service helpers', () => {
  it('mediaType lower-cases and drops parameters', () => {
    assert.equal(mediaType('Application/JSON; charset=UTF-8'), 'application/json');
    assert.equal(mediaType(undefined), '');
  });

  it('isHttpResponse tells a response from a message', () => {
    assert.equal(isHttpResponse(httpResponse({})), true);
    assert.equal(isHttpResponse({ status: 'ok', body: 'x', headers: {} }), false);
    assert.equal(isHttpResponse({ code: 'c' }), false);
    assert.equal(isHttpResponse(null), false);
  });

  it('parseJsonObject accepts an object and rejects the rest (parseJson)', () => {
    assert.deepEqual(parseJsonObject('{"a":1}', 'x'), { a: 1 });
    for (const text of ['', '{', '[]', 'null', '"s"', '1']) assert.throws(() => parseJsonObject(text, 'x'), isError(ResponseError, 'parseJson'), text);
  });

  it('throwIfErrorResponse turns error members into an OPError, truncating long values', () => {
    assert.doesNotThrow(() => throwIfErrorResponse({ access_token: 'a' }, 'accesstoken'));
    assert.throws(
      () => throwIfErrorResponse({ error: 'x'.repeat(1000), error_uri: 'https://op/e' }, 'accesstoken'),
      isError(OPError, 'checkErrorResponse', (e) => e.error.length === 500 && e.errorUri === 'https://op/e' && e.detail['service'] === 'accesstoken'),
    );
    assert.throws(() => throwIfErrorResponse({ error: 42 }, 'userinfo'), isError(OPError, 'checkErrorResponse', (e) => e.error === 'invalid_error_response'));
  });
});

/** WebFinger issuer discovery (RFC 7033, OpenID Connect Discovery 1.0 section 2), with the oidcservice documentation's values. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPError, ResponseError, ServiceContext, VerificationError, type RPConfig } from '../../src/index.js';
import { OIDC_ISSUER_REL, WebFinger, normaliseResource } from '../../src/services/webfinger.js';
import { httpResponse, isError } from '../fixtures/http.js';

const config: RPConfig = { base_url: 'https://example.org/rp', redirect_uris: ['https://example.org/rp/authz_cb'] };
const SEED_URL =
  'https://example.com/.well-known/webfinger?resource=acct%3Afoobar%40example.com&rel=http%3A%2F%2Fopenid.net%2Fspecs%2Fconnect%2F1.0%2Fissuer';
const SEED_JRD = {
  subject: 'acct:foobar@example.com',
  links: [{ rel: 'http://openid.net/specs/connect/1.0/issuer', href: 'https://example.com' }],
  expires: '2018-02-04T11:08:41Z',
};

const service = async (extra: Partial<RPConfig> = {}) => new WebFinger(await ServiceContext.create({ ...config, ...extra }));

describe('WebFinger request', () => {
  it('gives the oidcservice documentation\'s URL for foobar@example.com', async () => {
    const info = await (await service()).getRequestParameters({ resource: 'foobar@example.com' });
    assert.equal(info.method, 'GET');
    assert.equal(info.url, SEED_URL);
  });

  it('asks for another rel when given', async () => {
    const info = await (await service()).getRequestParameters({ resource: 'acct:foobar@example.com', rel: 'http://webfinger.net/rel/avatar' });
    assert.equal(new URL(info.url).searchParams.get('rel'), 'http://webfinger.net/rel/avatar');
  });

  it('asks the host of a URL identifier over https, and over http only for an http URL with allow.http_links', async () => {
    const strict = await service();
    assert.equal(new URL((await strict.getRequestParameters({ resource: 'http://example.com:8080/joe' })).url).protocol, 'https:');
    const lenient = await service({ allow: { http_links: true } });
    const url = new URL((await lenient.getRequestParameters({ resource: 'http://127.0.0.1:8080/joe' })).url);
    assert.equal(url.origin, 'http://127.0.0.1:8080');
    assert.equal(url.searchParams.get('resource'), 'http://127.0.0.1:8080/joe');
  });

  it('refuses to run without a resource', async () => {
    await assert.rejects((await service()).getRequestParameters(), isError(ResponseError, 'webFingerResource'));
    await assert.rejects((await service()).getRequestParameters({ resource: '   ' }), isError(ResponseError, 'webFingerResource'));
  });
});

describe('normaliseResource (OpenID Connect Discovery 2.1.2)', () => {
  const cases: Array<[string, string, string]> = [
    ['foobar@example.com', 'acct:foobar@example.com', 'example.com'],
    ['acct:joe@example.com', 'acct:joe@example.com', 'example.com'],
    ['acct:juliet%40capulet.example@shopping.example.com', 'acct:juliet%40capulet.example@shopping.example.com', 'shopping.example.com'],
    ['joe@example.com:8080', 'acct:joe@example.com:8080', 'example.com:8080'],
    ['https://example.com/joe', 'https://example.com/joe', 'example.com'],
    ['example.com/joe', 'https://example.com/joe', 'example.com'],
    ['example.com:8080', 'https://example.com:8080/', 'example.com:8080'],
    ['https://example.com/joe#fragment', 'https://example.com/joe', 'example.com'],
  ];
  for (const [input, resource, host] of cases) {
    it(`${input} -> ${resource} at ${host}`, () => {
      const normalised = normaliseResource(input);
      assert.equal(normalised.resource, resource);
      assert.equal(normalised.host, host);
    });
  }

  it('rejects identifiers without a host', () => {
    assert.throws(() => normaliseResource('acct:joe@'), isError(ResponseError, 'webFingerResource'));
    assert.throws(() => normaliseResource(''), isError(ResponseError, 'webFingerResource'));
  });
});

describe('WebFinger response', () => {
  it('finds the issuer in the oidcservice documentation\'s JRD and makes it the context\'s issuer', async () => {
    const webfinger = await service();
    const response = await webfinger.parseResponse(httpResponse(SEED_JRD, { contentType: 'application/jrd+json' }));
    assert.equal(response.issuer, 'https://example.com');
    assert.equal(response.subject, 'acct:foobar@example.com');
    await webfinger.updateServiceContext(response);
    assert.equal(webfinger.context.issuer, 'https://example.com');
  });

  it('accepts the JRD as text or as an object, and ignores unknown members and other links', async () => {
    const webfinger = await service();
    const jrd = { ...SEED_JRD, links: [{ rel: 'http://webfinger.net/rel/avatar', href: 'https://x/a.png' }, ...SEED_JRD.links], properties: { a: 1 } };
    assert.equal((await webfinger.parseResponse(JSON.stringify(jrd))).issuer, 'https://example.com');
    assert.equal((await webfinger.parseResponse(jrd)).issuer, 'https://example.com');
  });

  it('rejects an http issuer link unless allow.http_links', async () => {
    const jrd = { links: [{ rel: OIDC_ISSUER_REL, href: 'http://example.com' }] };
    await assert.rejects((await service()).parseResponse(jrd), isError(VerificationError, 'checkWebFingerLink'));
    const lenient = await service({ allow: { http_links: true } });
    assert.equal((await lenient.parseResponse(jrd)).issuer, 'http://example.com');
  });

  it('rejects a response without an issuer link', async () => {
    const webfinger = await service();
    await assert.rejects(webfinger.parseResponse({ subject: 'acct:foobar@example.com', links: [] }), isError(ResponseError, 'checkWebFingerLinks'));
    await assert.rejects(webfinger.parseResponse({ links: [{ rel: OIDC_ISSUER_REL }] }), isError(ResponseError, 'checkWebFingerLinks'));
    await assert.rejects(webfinger.parseResponse({}), isError(ResponseError, 'checkWebFingerLinks'));
  });

  it('rejects a wrong status, a wrong content type and malformed JSON', async () => {
    const webfinger = await service();
    await assert.rejects(webfinger.parseResponse(httpResponse('Not found', { status: 404, contentType: 'text/plain' })), isError(ResponseError, 'checkHttpStatus'));
    await assert.rejects(webfinger.parseResponse(httpResponse('<html></html>', { contentType: 'text/html' })), isError(ResponseError, 'checkContentType'));
    await assert.rejects(webfinger.parseResponse(httpResponse('{"links": [', { contentType: 'application/jrd+json' })), isError(ResponseError, 'parseJson'));
  });

  it('turns a JSON error body into an OPError', async () => {
    const webfinger = await service();
    await assert.rejects(
      webfinger.parseResponse(httpResponse({ error: 'invalid_request', error_description: 'no resource' }, { status: 400 })),
      isError(OPError, 'checkErrorResponse', (e) => e.error === 'invalid_request' && e.errorDescription === 'no resource'),
    );
  });
});

/** Dynamic client registration and reading it back, with the oidcservice documentation's values. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ConfigurationError, OPError, ResponseError, ServiceContext, type RPConfig } from '../../src/index.js';
import { ProviderInfoDiscovery } from '../../src/services/provider-info-discovery.js';
import { RegistrationRead } from '../../src/services/registration-read.js';
import { Registration, checkRegistrationResponse, registrationRequestBody } from '../../src/services/registration.js';
import { documentedProviderInfo } from '../fixtures/context.js';
import { httpResponse, isError } from '../fixtures/http.js';

const BASEURL = 'https://example.org';
const config: RPConfig = {
  base_url: BASEURL,
  issuer: 'https://example.com',
  redirect_uris: [`${BASEURL}/authz_cb`],
  jwks_uri: `${BASEURL}/static/jwks.json`,
  client_preferences: {
    application_type: 'web',
    application_name: 'rphandler',
    contacts: ['ops@example.org'],
    response_types: ['code'],
    scope: ['openid', 'profile', 'email', 'address', 'phone'],
    token_endpoint_auth_method: ['client_secret_basic', 'client_secret_post'],
  },
};

const SEED_RESPONSE = {
  client_id: 'zls2qhN1jO6A',
  client_secret: 'c8434f28cf9375d9a7f3b50dcfdf6a20d6e702e310066874f794817f',
  registration_access_token: 'NdGrGR7LCuzNtixvBFnDphGXv7wRcONn',
  registration_client_uri: 'https://localhost:8080/oicrp/registration?client_id=zls2qhN1jO6A',
  client_secret_expires_at: 1517823388,
  client_id_issued_at: 1517736988,
  application_type: 'web',
  response_types: ['code'],
  contacts: ['ops@example.com'],
  token_endpoint_auth_method: 'client_secret_basic',
  redirect_uris: ['https://example.com/authz_cb'],
};

/** A context that has run discovery on the oidcservice documentation's document. */
async function discovered(extra: Partial<RPConfig> = {}): Promise<ServiceContext> {
  const context = await ServiceContext.create({ ...config, ...extra });
  const discovery = new ProviderInfoDiscovery(context);
  await discovery.updateServiceContext(await discovery.parseResponse(httpResponse(documentedProviderInfo({ require_request_uri_registration: true }))));
  return context;
}

let context: ServiceContext;
before(async () => {
  context = await discovered();
});

describe('Registration request', () => {
  it('POSTs the oidcservice documentation\'s metadata as JSON to the registration endpoint', async () => {
    const info = await new Registration(context).getRequestParameters();
    assert.equal(info.method, 'POST');
    assert.equal(info.url, 'https://example.com/registration');
    assert.equal(info.headers?.['Content-Type'], 'application/json');
    assert.deepEqual(JSON.parse(info.body ?? ''), {
      application_type: 'web',
      contacts: ['ops@example.org'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      jwks_uri: 'https://example.org/static/jwks.json',
      redirect_uris: ['https://example.org/authz_cb'],
      request_uris: ['https://example.org/requests/'],
    });
  });

  it('sends the RP\'s public keys inline when it has no jwks_uri, never private members', async () => {
    const { jwks_uri: _drop, ...withoutUri } = config;
    const inline = await ServiceContext.create({ ...withoutUri, keys: { generate: ['ES256'] } });
    const body = registrationRequestBody(inline);
    const jwks = body['jwks'] as { keys: Array<Record<string, unknown>> };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]?.['d'], undefined);
  });

  it('lets arguments override and add members', async () => {
    const body = registrationRequestBody(context, { client_name: 'Test RP', response_types: ['code', 'id_token'] });
    assert.equal(body['client_name'], 'Test RP');
    assert.deepEqual(body['response_types'], ['code', 'id_token']);
  });

  it('needs a registration endpoint', async () => {
    const bare = await ServiceContext.create(config);
    await assert.rejects(new Registration(bare).getRequestParameters(), isError(ConfigurationError, 'contextEndpoint'));
  });
});

describe('Registration response', () => {
  it('records the oidcservice documentation\'s response: client_id and client_secret become directly reachable', async () => {
    const ctx = await discovered();
    const registration = new Registration(ctx);
    const response = await registration.parseResponse(httpResponse(SEED_RESPONSE, { status: 201 }));
    await registration.updateServiceContext(response);
    assert.equal(ctx.clientId, 'zls2qhN1jO6A');
    assert.equal(ctx.clientSecret, 'c8434f28cf9375d9a7f3b50dcfdf6a20d6e702e310066874f794817f');
    assert.equal(ctx.registrationAccessToken, 'NdGrGR7LCuzNtixvBFnDphGXv7wRcONn');
    assert.equal(ctx.clientSecretExpiresAt, 1517823388);
    assert.deepEqual(ctx.registrationResponse, SEED_RESPONSE);
    assert.equal(ctx.behaviour['token_endpoint_auth_method'], 'client_secret_basic');
    assert.deepEqual(ctx.behaviour['contacts'], ['ops@example.com'], 'what the OP registered wins');
  });

  it('accepts HTTP 200 as well as 201', async () => {
    const response = await new Registration(context).parseResponse(httpResponse(SEED_RESPONSE, { status: 200 }));
    assert.equal(response.client_id, 'zls2qhN1jO6A');
  });

  it('rejects a response without client_id', async () => {
    const { client_id: _drop, ...rest } = SEED_RESPONSE;
    await assert.rejects(new Registration(context).parseResponse(httpResponse(rest, { status: 201 })), isError(ResponseError, 'checkRegistrationResponse'));
  });

  it('rejects mistyped members', () => {
    assert.throws(() => checkRegistrationResponse({ ...SEED_RESPONSE, client_secret: 42 }), isError(ResponseError, 'checkRegistrationResponse'));
    assert.throws(() => checkRegistrationResponse({ ...SEED_RESPONSE, client_secret_expires_at: '1517823388' }), isError(ResponseError, 'checkRegistrationResponse'));
    assert.throws(() => checkRegistrationResponse({ ...SEED_RESPONSE, registration_client_uri: {} }), isError(ResponseError, 'checkRegistrationResponse'));
  });

  it('turns an OP error into an OPError with error and error_description', async () => {
    await assert.rejects(
      new Registration(context).parseResponse(httpResponse({ error: 'invalid_redirect_uri', error_description: 'not https' }, { status: 400 })),
      isError(OPError, 'checkErrorResponse', (e) => e.error === 'invalid_redirect_uri' && e.errorDescription === 'not https' && e.detail['service'] === 'registration'),
    );
  });

  it('rejects a 500 and an HTML page', async () => {
    await assert.rejects(new Registration(context).parseResponse(httpResponse('boom', { status: 500, contentType: 'text/plain' })), isError(ResponseError, 'checkHttpStatus'));
    await assert.rejects(new Registration(context).parseResponse(httpResponse('<html/>', { status: 201, contentType: 'text/html' })), isError(ResponseError, 'checkContentType'));
  });
});

describe('RegistrationRead', () => {
  it('GETs registration_client_uri with the registration access token as a Bearer token', async () => {
    const ctx = await discovered();
    const registration = new Registration(ctx);
    await registration.updateServiceContext(await registration.parseResponse(SEED_RESPONSE));
    const read = new RegistrationRead(ctx);
    const info = await read.getRequestParameters();
    assert.equal(info.method, 'GET');
    assert.equal(info.url, SEED_RESPONSE.registration_client_uri);
    assert.equal(info.headers?.['Authorization'], 'Bearer NdGrGR7LCuzNtixvBFnDphGXv7wRcONn');
    const again = await read.parseResponse(httpResponse({ ...SEED_RESPONSE, client_secret: 'rotated-secret-value' }));
    await read.updateServiceContext(again);
    assert.equal(ctx.clientSecret, 'rotated-secret-value');
  });

  it('refuses without a registration to read', async () => {
    await assert.rejects(new RegistrationRead(context).getRequestParameters(), isError(ConfigurationError, 'registrationRead'));
  });

  it('rejects a read response without client_id', async () => {
    await assert.rejects(new RegistrationRead(context).parseResponse({ client_secret: 'x' }), isError(ResponseError, 'checkRegistrationResponse'));
  });
});

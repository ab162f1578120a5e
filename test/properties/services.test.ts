/**
 * Properties of the service parsers that carry no tokens (WebFinger and normaliseResource,
 * ProviderInfoDiscovery, Registration, RegistrationRead, EndSession, CheckSession, and every
 * service given a decoded object that looks like an HttpResponse) and of the configuration layer
 * (validateConfig, ServiceContext.create, matchPreferences). Each part says its oracle.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ALL_SERVICES, buildServices, ServiceContext, validateConfig, type HttpResponse, type ProviderInfo, type RPConfig } from '../../src/index.js';
import { matchPreferences, PREFERENCE_SUPPORT } from '../../src/behaviour.js';
import { CLIENT_AUTH_METHODS } from '../../src/client-auth/client-auth.js';
import { Authorization } from '../../src/services/authorization.js';
import { CheckSession } from '../../src/services/check-session.js';
import { EndSession } from '../../src/services/end-session.js';
import { ProviderInfoDiscovery, REQUIRED_PROVIDER_METADATA } from '../../src/services/provider-info-discovery.js';
import { RegistrationRead } from '../../src/services/registration-read.js';
import { Registration } from '../../src/services/registration.js';
import { isHttpResponse } from '../../src/services/service.js';
import { normaliseResource, OIDC_ISSUER_REL, WebFinger } from '../../src/services/webfinger.js';
import { CLIENT_ID, ISSUER, makeContext, REDIRECT_URI, documentedProviderInfo } from '../fixtures/context.js';
import { opSigningKey } from '../fixtures/keys.js';
import { anyKey, deepValue, hostileValue, httpResponseOf, hugeString, inputFrom, inputShape, jsonText, messageOf, mostly, notAnInput, objectOf, shallowWrongValue, sometimes, someUrl, unprintable, wrongValue } from './_arbitraries.js';
import { isPlainObject, params, scaled, settle, settleSync, syncParams, Tally, TARGETED_RUNS, TEST_TIMEOUT, settleOrMisuse } from './_support.js';

describe('discovery and registration', () => {
  /**
   * Properties of the discovery and registration parsers: WebFinger (and normaliseResource),
   * ProviderInfoDiscovery, Registration and RegistrationRead. Every input ends in a typed error or
   * in an accept that is right: an accepted discovery document names the expected issuer and only
   * https endpoints, an accepted WebFinger answer's issuer is an https issuer link it really carried,
   * an accepted registration has a client_id.
   */
  let context: ServiceContext;
  before(async () => {
    await opSigningKey();
    context = await makeContext();
  });

  /** The JSON object an accepted input carried. */
  function messageOfInput(input: unknown): Record<string, unknown> {
    if (isHttpResponse(input)) return JSON.parse((input as HttpResponse).body) as Record<string, unknown>;
    if (typeof input === 'string') return JSON.parse(input) as Record<string, unknown>;
    return input as Record<string, unknown>;
  }

  /** Every way a parser's input can come: an HTTP response, body text, a decoded object, or not an input at all. */
  function inputsOf(message: fc.Arbitrary<Record<string, unknown>>, http: Parameters<typeof httpResponseOf>[1] = {}): fc.Arbitrary<unknown> {
    return fc.oneof(
      { weight: 5, arbitrary: httpResponseOf(jsonText(message), http) },
      { weight: 3, arbitrary: jsonText(message) },
      { weight: 3, arbitrary: message },
      { weight: 1, arbitrary: notAnInput },
    );
  }

  const isHttpsUrl = (value: unknown): boolean => {
    if (typeof value !== 'string') return false;
    try {
      return new URL(value).protocol === 'https:';
    } catch {
      return false;
    }
  };

  // ---------------------------------------------------------------------------------------------

  describe('normaliseResource', () => {
    const identifier = fc.oneof(
      { weight: 10, arbitrary: fc.string({ maxLength: 40 }) },
      { weight: 10, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('example.com', 'EXAMPLE.com', 'a.b', '')).map(([u, h]) => `${u}@${h}`) },
      { weight: 10, arbitrary: someUrl },
      { weight: 20, arbitrary: fc.tuple(
        fc.constantFrom('', 'acct:', 'https://', 'http://', 'mailto:', 'acct:@', ' ', 'HTTPS://', 'device:'),
        fc.constantFrom('', 'alice', 'alice@', 'a@b', '@', 'x y'),
        fc.constantFrom('', '@', ':', '/'),
        fc.constantFrom('', 'example.com', 'example.com:8080', 'localhost', '[::1]', '[::1', 'ex ample.com', '%41', 'exa#mple.com'),
        fc.constantFrom('', '/', '/alice', '#frag', '?q=1', ':8080', '@other.example'),
      ).map((parts) => parts.join('')) },
      { weight: 1, arbitrary: hugeString },
    );

    it('ends in a ResponseError or a resource naming a usable host', { timeout: TEST_TIMEOUT }, () => {
      const tally = new Tally();
      fc.assert(
        fc.property(identifier, (input) => {
          const outcome = tally.note(settleSync(() => normaliseResource(input)));
          if (!outcome.accepted) {
            assert.equal(outcome.error.check, 'webFingerResource');
            return;
          }
          const { resource, host, scheme } = outcome.value;
          assert.ok(host.length > 0, 'an accepted identifier names a host');
          // The request goes to `${scheme}://${host}/.well-known/webfinger`: host must be a host, nothing more.
          let request: URL;
          try {
            request = new URL(`${scheme}://${host}/.well-known/webfinger`);
          } catch {
            assert.fail(`the host "${host}" of "${input}" does not make a URL`);
          }
          assert.equal(request.pathname, '/.well-known/webfinger', `the host "${host}" carries a path, query or fragment`);
          assert.equal(request.username + request.password, '', `the host "${host}" carries user information`);
          if (resource.startsWith('acct:')) {
            assert.ok(resource.endsWith(`@${host}`), `the acct: resource "${resource}" does not end in @${host}`);
          } else {
            assert.equal(new URL(resource).hash, '', 'a URL resource has no fragment');
          }
        }),
        syncParams(),
      );
      tally.expectAccepts(1000);
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe('WebFinger.parseResponse', () => {
    const href = fc.oneof(
      fc.constantFrom('https://op.example.com', 'https://example.com/tenant', 'http://op.example.com', 'not a url', '', 'javascript:alert(1)', 'https://', 'HTTPS://OP.EXAMPLE.COM', '//op.example.com'),
      someUrl,
    );
    const link = messageOf({
      rel: mostly(OIDC_ISSUER_REL, 'http://webfinger.net/rel/profile-page', `${OIDC_ISSUER_REL}/`, OIDC_ISSUER_REL.toUpperCase()),
      href,
      type: fc.constant('application/json'),
      titles: objectOf(fc.string()),
    }, { goodWeight: 6, hostile: false });
    const jrd = messageOf({
      subject: fc.constantFrom('acct:alice@example.com', 'https://example.com/alice'),
      links: fc.array(fc.oneof({ weight: 6, arbitrary: link }, { weight: 1, arbitrary: wrongValue }), { maxLength: 5 }),
      aliases: fc.array(fc.string(), { maxLength: 2 }),
      properties: objectOf(fc.string()),
    }, { goodWeight: 5 });

    it('ends in a typed error or the https issuer link the JRD carries', { timeout: TEST_TIMEOUT }, async () => {
      const service = new WebFinger(context);
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(inputsOf(jrd, { types: ['application/jrd+json', 'application/json'] }), async (input) => {
          const outcome = tally.note(await settle(() => service.parseResponse(input as never)));
          if (!outcome.accepted) return;
          const message = messageOfInput(input);
          assert.ok(Array.isArray(message['links']));
          const issuerLinks = (message['links'] as unknown[]).filter((l) => isPlainObject(l) && l['rel'] === OIDC_ISSUER_REL && typeof l['href'] === 'string') as Array<Record<string, unknown>>;
          assert.ok(issuerLinks.some((l) => l['href'] === outcome.value.issuer), 'accepted an issuer that is no issuer link of the JRD');
          assert.ok(isHttpsUrl(outcome.value.issuer), `accepted the non-https issuer link ${String(outcome.value.issuer)}`);
        }),
        params(),
      );
      tally.expectAccepts(300);
    });
  });

  // ---------------------------------------------------------------------------------------------

  const url = fc.oneof(
    { weight: 24, arbitrary: fc.constantFrom(`${ISSUER}/authorization`, `${ISSUER}/token`, `${ISSUER}/jwks.json`, 'https://other.example/x') },
    { weight: 1, arbitrary: fc.constantFrom('http://example.com/insecure', 'not a url', '', 'javascript:alert(1)', 'https://', '//example.com/x', 'HTTPS://EXAMPLE.COM/x', 'ftp://example.com/x', 'https://[::1') },
    { weight: 1, arbitrary: someUrl },
  );
  const issuerValue = fc.oneof(
    { weight: 12, arbitrary: fc.constant(ISSUER) },
    { weight: 2, arbitrary: fc.constantFrom(`${ISSUER}/`, `${ISSUER}//`, 'https://evil.example', 'http://example.com', 'https://example.com/tenant', 'HTTPS://EXAMPLE.COM', ` ${ISSUER}`, `${ISSUER}#`, `${ISSUER}?x=1`, '') },
  );
  const supported = fc.oneof(
    { weight: 12, arbitrary: fc.array(fc.constantFrom('code', 'id_token', 'RS256', 'HS256', 'none', 'public', 'pairwise', 'S256'), { minLength: 1, maxLength: 4 }) },
    { weight: 1, arbitrary: fc.boolean() },
  );
  const jwksValue = fc.oneof(
    { weight: 2, arbitrary: fc.constant({ keys: [] }) },
    { weight: 1, arbitrary: fc.record({ keys: fc.array(objectOf(fc.oneof(fc.string(), fc.integer())), { maxLength: 2 }) }) },
    { weight: 6, arbitrary: fc.record({ keys: fc.array(fc.record({ kty: fc.constantFrom('RSA', 'EC', 'oct'), kid: fc.string({ maxLength: 5 }) }), { maxLength: 2 }) }) },
  );

  function discoveryDocument(wrong: fc.Arbitrary<unknown>, hostile = true): fc.Arbitrary<Record<string, unknown>> {
    return messageOf({
      issuer: issuerValue,
      authorization_endpoint: url,
      token_endpoint: url,
      userinfo_endpoint: url,
      jwks_uri: url,
      registration_endpoint: url,
      end_session_endpoint: url,
      check_session_iframe: url,
      revocation_endpoint: url,
      introspection_endpoint: url,
      response_types_supported: supported,
      subject_types_supported: supported,
      id_token_signing_alg_values_supported: supported,
      scopes_supported: supported,
      claims_parameter_supported: fc.boolean(),
      authorization_response_iss_parameter_supported: fc.boolean(),
      jwks: jwksValue,
      mtls_endpoint_aliases: objectOf(url),
    }, { goodWeight: 30, wrong, required: REQUIRED_PROVIDER_METADATA, hostile });
  }

  describe('ProviderInfoDiscovery.parseResponse', () => {
    const ENDPOINTS = ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'registration_endpoint', 'jwks_uri', 'end_session_endpoint', 'check_session_iframe', 'revocation_endpoint', 'introspection_endpoint'];

    it('ends in a typed error or a document of the expected issuer with https endpoints', { timeout: TEST_TIMEOUT }, async () => {
      const service = new ProviderInfoDiscovery(context);
      await service.getRequestParameters({ issuer: ISSUER });
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(inputsOf(discoveryDocument(wrongValue)), async (input) => {
          const outcome = tally.note(await settle(() => service.parseResponse(input as never)));
          if (!outcome.accepted) return;
          const doc = outcome.value;
          assert.equal(typeof doc.issuer, 'string');
          assert.equal(doc.issuer.replace(/\/+$/, ''), ISSUER, 'an accepted document names the issuer it was fetched for');
          assert.ok(isHttpsUrl(doc.issuer));
          for (const name of REQUIRED_PROVIDER_METADATA) assert.notEqual(doc[name], undefined, `accepted without ${name}`);
          for (const name of ENDPOINTS) if (doc[name] !== undefined) assert.ok(isHttpsUrl(doc[name]), `accepted ${name} ${String(doc[name])}`);
          for (const [name, value] of Object.entries(doc)) {
            if (name.endsWith('_supported')) assert.ok(typeof value === 'boolean' || (Array.isArray(value) && value.every((v) => typeof v === 'string')), `accepted a mistyped ${name}`);
          }
        }),
        params(),
      );
      tally.expectAccepts(300);
    });

    it('an accepted document can be recorded in the context (no untyped exception later)', { timeout: TEST_TIMEOUT }, async () => {
      const parser = new ProviderInfoDiscovery(context);
      await parser.getRequestParameters({ issuer: ISSUER });
      await fc.assert(
        fc.asyncProperty(discoveryDocument(shallowWrongValue, false), async (doc) => {
          const parsed = await settle(() => parser.parseResponse(doc));
          if (!parsed.accepted) return;
          const fresh = await makeContext();
          const recorder = new ProviderInfoDiscovery(fresh);
          await settle(() => recorder.updateServiceContext(parsed.value));
        }),
        // TARGETED_RUNS: the parser has its 10,000-run property above; this one creates a context per run.
        params(TARGETED_RUNS),
      );
    });

    it('an accepted document with a deeply nested extension member can be recorded', { timeout: TEST_TIMEOUT }, async () => {
      const good = {
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/authorization`,
        jwks_uri: `${ISSUER}/jwks.json`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      };
      await fc.assert(
        fc.asyncProperty(anyKey.filter((k) => !(k in good)), deepValue, async (name, value) => {
          const fresh = await makeContext();
          const service = new ProviderInfoDiscovery(fresh);
          await service.getRequestParameters({ issuer: ISSUER });
          const parsed = await settle(() => service.parseResponse(Object.fromEntries([...Object.entries(good), [`x_${name}`, value]])));
          if (parsed.accepted) await settle(() => service.updateServiceContext(parsed.value));
        }),
        // Each run records a document nested up to 20,000 levels: 1,000 runs meet every depth 200 times.
        params(scaled(1_000)),
      );
    });
  });

  // ---------------------------------------------------------------------------------------------

  const registrationResponse = messageOf({
    client_id: fc.oneof(fc.constantFrom('client-1', 'zls2qhN1jO6A', ''), fc.string({ maxLength: 20 })),
    client_secret: fc.string({ maxLength: 30 }),
    registration_access_token: fc.string({ maxLength: 30 }),
    registration_client_uri: url,
    client_secret_expires_at: fc.oneof(fc.constant(0), fc.integer({ min: 0 })),
    client_id_issued_at: fc.integer({ min: 0 }),
    redirect_uris: fc.array(url, { maxLength: 2 }),
    token_endpoint_auth_method: fc.constantFrom('client_secret_basic', 'private_key_jwt', 'none'),
    id_token_signed_response_alg: fc.constantFrom('RS256', 'none', 'HS256'),
    jwks: jwksValue,
  }, { goodWeight: 6, required: ['client_id'] });

  function checkRegistration(value: Record<string, unknown>): void {
    assert.equal(typeof value['client_id'], 'string');
    assert.ok((value['client_id'] as string).length > 0, 'accepted an empty client_id');
    for (const name of ['client_secret', 'registration_access_token', 'registration_client_uri']) {
      if (value[name] !== undefined) assert.equal(typeof value[name], 'string', `accepted a mistyped ${name}`);
    }
    for (const name of ['client_secret_expires_at', 'client_id_issued_at']) {
      if (value[name] !== undefined) assert.equal(typeof value[name], 'number', `accepted a mistyped ${name}`);
    }
  }

  describe('Registration.parseResponse and RegistrationRead.parseResponse', () => {
    it('Registration: a typed error or a registration with a client_id', { timeout: TEST_TIMEOUT }, async () => {
      const service = new Registration(context);
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(inputsOf(registrationResponse, { ok: [201, 200] }), async (input) => {
          const outcome = tally.note(await settle(() => service.parseResponse(input as never)));
          if (outcome.accepted) checkRegistration(outcome.value);
        }),
        params(),
      );
      tally.expectAccepts(300);
    });

    it('RegistrationRead: a typed error or a registration with a client_id', { timeout: TEST_TIMEOUT }, async () => {
      const service = new RegistrationRead(context);
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(inputsOf(registrationResponse), async (input) => {
          const outcome = tally.note(await settle(() => service.parseResponse(input as never)));
          if (outcome.accepted) checkRegistration(outcome.value);
        }),
        params(),
      );
      tally.expectAccepts(300);
    });
  });
});

describe('session management', () => {
  /**
   * Properties of the session-management parsers (EndSession's post-logout redirect, CheckSession's
   * iframe answer) and one property shared by every service: a decoded object that merely looks like
   * an HttpResponse (a `status` number, a `body` string, and `headers` of any JSON type) is a legal
   * `JsonObject` input and must end in a typed error or an accept like any other.
   */
  let context: ServiceContext;
  /** Session state -> the logout state its RP-initiated logout sent. */
  let logouts: Array<{ session: string; logoutState: string }>;
  let foreignLogoutState: string;

  async function startLogout(ctx: ServiceContext): Promise<{ session: string; logoutState: string }> {
    const { state } = await new Authorization(ctx).getRequestParameters({ pkce: false });
    const { url } = await new EndSession(ctx).getRequestParameters({ state });
    return { session: state, logoutState: new URL(url).searchParams.get('state')! };
  }

  before(async () => {
    await opSigningKey();
    const config = { post_logout_redirect_uris: ['https://example.org/logged_out'] };
    context = await makeContext({ config });
    logouts = [await startLogout(context), await startLogout(context)];
    foreignLogoutState = (await startLogout(await makeContext({ config }))).logoutState;
  });

  // ---------------------------------------------------------------------------------------------

  describe('EndSession.parseResponse', () => {
    type StateChoice = 'own' | 'other' | 'foreign' | 'session state' | 'absent' | { value: unknown };
    const stateChoice: fc.Arbitrary<StateChoice> = fc.oneof(
      { weight: 8, arbitrary: fc.constant<StateChoice>('own') },
      { weight: 1, arbitrary: fc.constantFrom<StateChoice>('other', 'foreign', 'session state', 'absent') },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom('', ' ', 'state'), shallowWrongValue, unprintable, hugeString).map((value): StateChoice => ({ value })) },
    );
    const extra = messageOf({ iss: fc.constant(ISSUER), sid: fc.constant('sid-1') }, { hostile: false });
    const form = fc.oneof(
      fc.constant('object' as const),
      fc.constantFrom('query', '?query', '#query', 'url', 'url#', 'url?#', 'repeated'),
      inputShape().map((shape) => ({ shape })),
      notAnInput.map((value) => ({ value })),
    );
    const optionsChoice = fc.constantFrom('none', 'own', 'other', 'random');

    it('ends in a typed error or the logout state this RP sent for the session named', { timeout: TEST_TIMEOUT }, async () => {
      const service = new EndSession(context);
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: 1 }), stateChoice, extra, form, optionsChoice, async (which, choice, members, how, optionChoice) => {
          const mine = logouts[which]!;
          let state: unknown;
          if (choice === 'own') state = mine.logoutState;
          else if (choice === 'other') state = logouts[1 - which]!.logoutState;
          else if (choice === 'foreign') state = foreignLogoutState;
          else if (choice === 'session state') state = mine.session;
          else if (choice === 'absent') state = undefined;
          else state = choice.value;
          const message: Record<string, unknown> = { ...members, ...(state === undefined ? {} : { state }) };
          let input: unknown;
          if (how === 'object') input = message;
          else if (typeof how === 'string') {
            const query = new URLSearchParams(Object.entries(message).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : String(JSON.stringify(v))])).toString();
            input = {
              query, '?query': `?${query}`, '#query': `#${query}`, url: `https://example.org/logged_out?${query}`,
              'url#': `https://example.org/logged_out?${query}#frag`, 'url?#': `https://example.org/logged_out#?${query}`,
              repeated: `${query}&${query}`,
            }[how];
          } else if ('shape' in how) input = inputFrom(message, how.shape);
          else input = how.value;
          const options = optionChoice === 'none' ? {} : optionChoice === 'own' ? { state: mine.session } : optionChoice === 'other' ? { state: logouts[1 - which]!.session } : { state: 'not-a-session' };
          const outcome = tally.note(await settle(() => service.parseResponse(input as never, options)));
          if (!outcome.accepted) return;
          const value = outcome.value;
          if (value.state === undefined) return;
          assert.notEqual(value.state, foreignLogoutState, 'accepted the logout state of another RP');
          const sent = logouts.find((l) => l.logoutState === value.state);
          assert.ok(sent, `accepted a logout state this RP never sent: ${String(value.state)}`);
          assert.equal(value.session, sent.session, 'tied the redirect to the wrong session');
          if (options.state !== undefined) assert.equal(value.session, options.state, 'accepted the logout of another session than the one named');
        }),
        params(),
      );
      tally.expectAccepts(500);
    });
  });

  describe('CheckSession.parseResponse', () => {
    const status = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('changed', 'unchanged', 'error') },
      { weight: 2, arbitrary: fc.constantFrom(' changed ', 'CHANGED', 'changed\n', 'unchanged ', '', 'ok', 'changed unchanged') },
      { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
      { weight: 1, arbitrary: hugeString },
    );
    const input = fc.oneof(
      status,
      messageOf({ status }).map((m) => ({ object: m })),
      fc.tuple(messageOf({ status }), inputShape()).map(([m, shape]) => ({ shaped: inputFrom(m, shape) })),
      notAnInput.map((value) => ({ value })),
    );

    it('ends in a typed error or one of changed, unchanged, error', { timeout: TEST_TIMEOUT }, async () => {
      const service = new CheckSession(context);
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(input, async (drawn) => {
          const value = typeof drawn === 'string' ? drawn : 'object' in drawn ? drawn.object : 'shaped' in drawn ? drawn.shaped : drawn.value;
          const outcome = tally.note(await settle(() => service.parseResponse(value as never)));
          if (!outcome.accepted) return;
          assert.ok(['changed', 'unchanged', 'error'].includes(outcome.value.status), `accepted status ${String(outcome.value.status)}`);
          assert.deepEqual(Object.keys(outcome.value), ['status']);
        }),
        params(),
      );
      tally.expectAccepts(500);
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe('every service, given a decoded object that looks like an HttpResponse', () => {
    const headerValue = fc.oneof(fc.constantFrom('application/json', 'application/jwt', 'text/html', ''), shallowWrongValue, unprintable);
    const headers = fc.oneof(
      { weight: 3, arbitrary: fc.array(fc.tuple(fc.constantFrom('content-type', 'www-authenticate', 'location', 'Content-Type'), headerValue), { maxLength: 3 }).map((e) => Object.fromEntries(e)) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [], ['content-type'], {}) },
      { weight: 1, arbitrary: fc.array(fc.tuple(anyKey, shallowWrongValue), { maxLength: 2 }).map((e) => Object.fromEntries(e)) },
    );
    const lookalike = fc.record({
      status: fc.constantFrom(200, 201, 302, 400, 401, 500),
      headers,
      body: fc.constantFrom('{}', '{"sub":"user-1","status":"changed","client_id":"c","access_token":"a","token_type":"Bearer"}', 'x.y.z', '', '{"error":"invalid_token"}'),
      url: fc.oneof(fc.constantFrom<unknown>(undefined, 'https://example.com/', '', 5, null), someUrl),
    }, { requiredKeys: ['status', 'headers', 'body'] });
    const SERVICE_NAMES = Object.keys(buildServices(ALL_SERVICES, {} as ServiceContext)) as Array<keyof ReturnType<typeof buildServices<typeof ALL_SERVICES>>>;

    it('ends in a typed error or an accept, for all twelve services', { timeout: TEST_TIMEOUT }, async () => {
      const services = buildServices(ALL_SERVICES, context);
      const state = logouts[0]!.session;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...SERVICE_NAMES), lookalike, fc.boolean(), async (name, object, withState) => {
          const service = services[name] as { parseResponse(input: unknown, options?: { state?: string }): Promise<unknown> };
          // Without the state, a service that needs one answers the caller with a TypeError (settleOrMisuse).
          const settled = await settleOrMisuse(() => service.parseResponse(object, withState ? { state } : {}));
          if (settled === 'caller misuse') assert.equal(withState, false, `${name}: a TypeError about the state, though the caller gave one`);
        }),
        params(),
      );
    });

    it('the same for well-typed HttpResponses of every status and content type (a control: these must pass)', { timeout: TEST_TIMEOUT }, async () => {
      const services = buildServices(ALL_SERVICES, context);
      const state = logouts[0]!.session;
      const body = fc.constantFrom('{}', '{"sub":"user-1","status":"changed","client_id":"c","access_token":"a","token_type":"Bearer"}', 'x.y.z', '', '{"error":"invalid_token"}', '{"error":42}');
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...SERVICE_NAMES), httpResponseOf(body, { types: ['application/json', 'application/jwt'], ok: [200, 201, 302] }), fc.boolean(), async (name, response, withState) => {
          const service = services[name] as { parseResponse(input: unknown, options?: { state?: string }): Promise<unknown> };
          const settled = await settleOrMisuse(() => service.parseResponse(response, withState ? { state } : {}));
          if (settled === 'caller misuse') assert.equal(withState, false, `${name}: a TypeError about the state, though the caller gave one`);
        }),
        // TARGETED_RUNS: a control for the property above (HttpResponses as the transport makes them).
        params(TARGETED_RUNS),
      );
    });
  });
});

describe('configuration', () => {
  /**
   * Properties of the configuration layer: validateConfig, the context it lets through
   * (ServiceContext.create), and matchPreferences.
   *
   * The oracle of validateConfig: a configuration it accepts has a usable base URL, at least one
   * redirect URI, every redirect URI absolute and without a fragment, https issuers (unless
   * allow.http_links), a client_id with a static registration, known client authentication methods,
   * and a clock skew that is a finite, non-negative number (NaN or Infinity would switch the expiry
   * checks off). And, as its documentation promises ("a mistake fails at start with a message naming
   * the setting"), ServiceContext.create on an accepted configuration ends in a ConfigurationError or
   * a context, never an untyped exception.
   */
  let opJwk: Record<string, unknown>;
  before(async () => {
    opJwk = (await opSigningKey()).publicJwk;
  });

  const url = fc.oneof({ weight: 24, arbitrary: fc.constantFrom('https://example.org/cb', REDIRECT_URI, 'http://127.0.0.1:8080/cb') }, { weight: 1, arbitrary: someUrl }, { weight: 1, arbitrary: fc.constantFrom<unknown>('https://example.org/cb#frag', '/relative', '') });
  const method = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CLIENT_AUTH_METHODS) }, { weight: 1, arbitrary: fc.constantFrom('client_secret', 'tls_client_auth', '', 'CLIENT_SECRET_BASIC') });
  const metadata = messageOf({
    token_endpoint_auth_method: fc.oneof(method, fc.array(method, { maxLength: 3 })),
    response_types: fc.constantFrom(['code'], ['id_token']),
    id_token_signed_response_alg: fc.constantFrom('RS256', 'none'),
    scope: fc.constantFrom('openid', ['openid', 'email']),
  }, { hostile: false });
  const providerInfo = messageOf({
    issuer: fc.oneof({ weight: 6, arbitrary: fc.constant(ISSUER) }, { weight: 1, arbitrary: url }),
    authorization_endpoint: url,
    token_endpoint: url,
    jwks: fc.oneof({ weight: 12, arbitrary: fc.constant('op-jwks') }, { weight: 1, arbitrary: fc.constantFrom<unknown>({ keys: [] }, { keys: 5 }, { keys: [null] }, { keys: [{}] }, 'x', [], { keys: [{ kty: 5 }] }) }),
    jwks_uri: url,
    id_token_signing_alg_values_supported: fc.constantFrom(['RS256'], 'RS256', [5]),
  }, { required: ['issuer'], goodWeight: 20, hostile: false });
  const keysSetting = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>({}, { import: [] }, { generate: [] }, { generate: ['ES256'] }, { generate: 'ES256' }, { generate: ['XX999'] }, { import: 5 }, { import: [{}] }, { import: [null] }, { import: [{ kty: 'oct', k: 'AAAA' }] }, null, 'keys') },
  );

  const configMembers = {
    base_url: fc.oneof({ weight: 24, arbitrary: fc.constant<unknown>('https://example.org') }, { weight: 1, arbitrary: fc.constantFrom<unknown>('not a url', '', 'javascript:alert(1)', '//example.org') }),
    client_id: mostly<unknown>(CLIENT_ID, ''),
    client_secret: fc.constant('secret-1'),
    redirect_uris: fc.oneof({ weight: 24, arbitrary: fc.array(url, { minLength: 1, maxLength: 2 }) }, { weight: 1, arbitrary: fc.constantFrom<unknown>([], 'https://example.org/cb', 5, {}, true) }),
    callback: sometimes(fc.record({ code: url, implicit: url, form_post: url }, { requiredKeys: [] }), 4),
    post_logout_redirect_uris: fc.array(url, { maxLength: 2 }),
    issuer: fc.oneof({ weight: 6, arbitrary: fc.constant(ISSUER) }, { weight: 1, arbitrary: url }),
    provider_info: providerInfo,
    behaviour: metadata,
    client_preferences: metadata,
    registration_response: fc.oneof({ weight: 8, arbitrary: fc.record({ client_id: mostly<unknown>('c-1', 5, '') }) }, { weight: 1, arbitrary: fc.constantFrom<unknown>({}, 'x') }),
    clock_skew: mostly<unknown>(60, 0, 5, -1, Number.NaN, Number.POSITIVE_INFINITY, '60', 1e308),
    allow: fc.record({ http_links: fc.boolean(), issuer_mismatch: fc.boolean(), missing_kid: fc.boolean() }, { requiredKeys: [] }),
    pkce: fc.boolean(),
    trusted_audiences: fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
    jwks_refetch_cooldown: fc.constantFrom(0, 60_000),
    requests_dir: fc.constantFrom('requests', '/r/'),
    use_mtls_endpoint_aliases: fc.boolean(),
  };
  const config = messageOf(configMembers, { required: ['base_url', 'redirect_uris'], goodWeight: 20 });
  /** The same without members of unknown names (which the schema refuses as unknown settings). */
  const configOfKnownSettings = messageOf(configMembers, { required: ['base_url', 'redirect_uris'], goodWeight: 20, extra: false });
  const KNOWN_SETTINGS = new Set([...Object.keys(configMembers), 'login_uri', 'pending_login_lifetime', 'session_lifetime', 'max_pending_logins', 'max_session_bytes', 'third_party_login_issuers', 'jwks_uri', 'keys']);
  const wholeConfig = fc.oneof({ weight: 15, arbitrary: configOfKnownSettings }, { weight: 5, arbitrary: config }, { weight: 1, arbitrary: fc.oneof(notAnInput, fc.string({ maxLength: 5 }), unprintable) });

  function withKeys(raw: unknown, jwks: unknown): unknown {
    if (!isPlainObject(raw)) return raw;
    const out = { ...raw };
    const info = out['provider_info'];
    if (isPlainObject(info) && info['jwks'] === 'op-jwks') out['provider_info'] = { ...info, jwks: { keys: [jwks] } };
    return out;
  }

  const isUrl = (v: unknown, protocols?: string[]): boolean => {
    if (typeof v !== 'string') return false;
    try {
      const u = new URL(v);
      return protocols === undefined || protocols.includes(u.protocol);
    } catch {
      return false;
    }
  };

  function checkAccepted(c: Record<string, unknown>): void {
    assert.ok(isUrl(c['base_url']), 'accepted a base_url that is no absolute URL');
    assert.ok(c['redirect_uris'] === undefined || Array.isArray(c['redirect_uris']), 'accepted redirect_uris that is not a list');
    const callback = isPlainObject(c['callback']) ? Object.values(c['callback']) : [];
    const redirects = [...((c['redirect_uris'] as unknown[] | undefined) ?? []), ...callback];
    assert.ok(redirects.length > 0, 'accepted no redirect URI');
    for (const r of redirects) assert.ok(isUrl(r) && new URL(r as string).hash === '', `accepted the redirect URI ${String(r)}`);
    const allow = isPlainObject(c['allow']) ? c['allow'] : {};
    const schemes = allow['http_links'] === true ? ['https:', 'http:'] : ['https:'];
    if (c['issuer'] !== undefined) assert.ok(isUrl(c['issuer'], schemes), 'accepted a non-https issuer');
    if (c['provider_info'] !== undefined) assert.ok(isPlainObject(c['provider_info']) && isUrl(c['provider_info']['issuer'], schemes), 'accepted provider_info without an https issuer');
    if (c['client_id'] !== undefined || c['registration_response'] !== undefined) assert.notEqual(c['behaviour'], undefined, 'accepted a static client without behaviour');
    if (c['registration_response'] !== undefined) assert.ok(isPlainObject(c['registration_response']) && typeof c['registration_response']['client_id'] === 'string', 'accepted a registration_response without client_id');
    for (const where of ['behaviour', 'client_preferences']) {
      const m = c[where];
      if (!isPlainObject(m) || m['token_endpoint_auth_method'] === undefined) continue;
      const methods = [m['token_endpoint_auth_method']].flat();
      for (const x of methods) assert.ok((CLIENT_AUTH_METHODS as readonly unknown[]).includes(x), `accepted the client authentication method ${String(x)}`);
    }
    const skew = c['clock_skew'];
    assert.ok(skew === undefined || (typeof skew === 'number' && Number.isFinite(skew) && skew >= 0), `accepted clock_skew ${String(skew)}: expiry and issued-at checks would never fail`);
  }

  describe('validateConfig', () => {
    it('ends in a ConfigurationError naming a setting, or a configuration that is sound', { timeout: TEST_TIMEOUT }, () => {
      const tally = new Tally();
      fc.assert(
        fc.property(wholeConfig, (raw) => {
          const c = withKeys(raw, opJwk);
          const outcome = tally.note(settleSync(() => validateConfig(c as RPConfig)));
          const unknown = isPlainObject(c) ? Object.keys(c).filter((name) => !KNOWN_SETTINGS.has(name)) : [];
          if (!outcome.accepted) {
            assert.equal(outcome.error.name, 'ConfigurationError');
            assert.equal(outcome.error.check, 'configSetting');
            // Every problem at once: each unknown setting is named (when the configuration is not too deep to read).
            const problems = (outcome.error.detail['problems'] as Array<{ setting: string }> | undefined) ?? [];
            const named = (name: string): string => (/^[A-Za-z_$][\w$-]*$/.test(name) ? name : `[${JSON.stringify(name)}]`);
            if (problems.some((p) => p.setting !== '(root)')) for (const name of unknown) assert.ok(problems.some((p) => p.setting === named(name) || p.setting.startsWith(`${named(name)}.`) || p.setting.startsWith(`${named(name)}[`)), `the unknown setting ${JSON.stringify(name)} is not named`);
            return;
          }
          assert.deepEqual(unknown, [], 'accepted a configuration with unknown settings');
          assert.ok(isPlainObject(c), 'accepted a configuration that is no object');
          checkAccepted(c);
        }),
        syncParams(),
      );
      tally.expectAccepts(500);
    });

    it('a configuration it accepts gives a context or a ConfigurationError, never an untyped exception', { timeout: TEST_TIMEOUT }, async () => {
      const tally = new Tally();
      // Sound configurations with one setting, now and then, of a wrong type or value: most runs
      // get past validateConfig to create.
      const sound = fc.record({
        base_url: fc.constant('https://example.org'),
        client_id: fc.constant(CLIENT_ID),
        client_secret: fc.constant('secret-1'),
        redirect_uris: fc.constant([REDIRECT_URI]),
        issuer: fc.constant(ISSUER),
        provider_info: fc.constantFrom<unknown>({ issuer: ISSUER, jwks: 'op-jwks' }, { ...documentedProviderInfo(), jwks: 'op-jwks' }, { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` }),
        behaviour: fc.constantFrom<unknown>({}, { token_endpoint_auth_method: 'client_secret_basic', response_types: ['code'] }),
        client_preferences: fc.constantFrom<unknown>({ scope: ['openid'], response_types: ['code'] }, { token_endpoint_auth_method: ['private_key_jwt', 'client_secret_basic'] }),
        allow: fc.record({ http_links: fc.boolean() }),
        clock_skew: fc.constantFrom(0, 60),
        post_logout_redirect_uris: fc.constant(['https://example.org/bye']),
        trusted_audiences: fc.constant(['other']),
        requests_dir: fc.constant('requests'),
      }, { requiredKeys: ['base_url', 'redirect_uris'] });
      const oneOff = sometimes(fc.tuple(fc.constantFrom('base_url', 'client_id', 'client_secret', 'redirect_uris', 'callback', 'issuer', 'provider_info', 'behaviour', 'client_preferences', 'registration_response', 'allow', 'clock_skew', 'post_logout_redirect_uris', 'trusted_audiences', 'requests_dir', 'jwks_uri', 'pkce', 'jwks_refetch_cooldown', 'use_mtls_endpoint_aliases'), fc.oneof(shallowWrongValue, unprintable, fc.constantFrom<unknown>([], {}, ''))), 2);
      const configs = fc.tuple(sound, oneOff).map(([c, off]) => (off === undefined ? c : { ...c, [off[0]]: off[1] }));
      await fc.assert(
        fc.asyncProperty(configs, keysSetting, async (raw, keys) => {
          const c = withKeys(keys === undefined ? raw : { ...raw, keys }, opJwk) as RPConfig;
          if (!settleSync(() => validateConfig(c)).accepted) return;
          const outcome = tally.note(await settle(() => ServiceContext.create(c)));
          if (!outcome.accepted) assert.equal(outcome.error.name, 'ConfigurationError', `create refused with ${outcome.error.name}`);
        }),
        params(),
      );
      tally.expectAccepts(500);
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe('matchPreferences', () => {
    const names = Object.keys(PREFERENCE_SUPPORT);
    const value = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('code', 'id_token', 'RS256', 'ES256', 'none', 'public', 'pairwise', 'client_secret_basic', 'private_key_jwt', 'S256', 'openid', 'openid email', 'query', 'authorization_code') },
      { weight: 2, arbitrary: fc.array(fc.constantFrom('code', 'RS256', 'openid', 'email', 'public', 'client_secret_post', 'S256'), { maxLength: 3 }) },
      { weight: 1, arbitrary: fc.oneof(shallowWrongValue, unprintable, fc.array(fc.oneof(shallowWrongValue, unprintable), { maxLength: 2 })) },
    );
    const preferences = fc.tuple(
      fc.array(fc.tuple(fc.constantFrom(...names, 'client_name', 'redirect_uris', 'default_max_age'), value), { maxLength: 5 }),
      fc.oneof({ weight: 30, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...names), hostileValue) }),
    ).map(([entries, worst]) => Object.fromEntries(worst === undefined ? entries : [...entries, worst]));
    const supported = fc.oneof(
      { weight: 4, arbitrary: fc.array(fc.constantFrom('code', 'id_token', 'RS256', 'none', 'public', 'openid', 'email', 'client_secret_basic', 'client_secret_post', 'S256', 'query', 'authorization_code'), { maxLength: 5 }) },
      { weight: 1, arbitrary: fc.oneof(shallowWrongValue, fc.array(fc.oneof(shallowWrongValue, unprintable), { maxLength: 3 })) },
    );
    // Over the oidcservice documentation's provider info, or over nothing but the issuer (where the defaults apply).
    const info = fc.tuple(fc.array(fc.tuple(fc.constantFrom(...names.map((n) => PREFERENCE_SUPPORT[n]!.supported)), supported), { maxLength: 6 }), fc.boolean())
      .map(([entries, bare]) => ({ ...(bare ? { issuer: ISSUER } : documentedProviderInfo()), ...Object.fromEntries(entries) }) as ProviderInfo);

    it('ends in a ConfigurationError or a behaviour within what the OP supports', { timeout: TEST_TIMEOUT }, () => {
      const tally = new Tally();
      fc.assert(
        fc.property(preferences, info, (prefs, provider) => {
          const outcome = tally.note(settleSync(() => matchPreferences(prefs, provider)));
          if (!outcome.accepted) {
            assert.equal(outcome.error.check, 'matchPreferences');
            return;
          }
          const behaviour = outcome.value;
          for (const [name, preferred] of Object.entries(prefs)) {
            const rule = PREFERENCE_SUPPORT[name];
            if (preferred === undefined) continue;
            if (rule === undefined) {
              assert.equal(behaviour[name], preferred, `${name} is not constrained and must be kept`);
              continue;
            }
            const advertised = provider[rule.supported];
            const allowed = Array.isArray(advertised) ? advertised.filter((v) => typeof v === 'string') : rule.default;
            if (allowed === undefined) continue;
            const got = behaviour[name];
            const values = Array.isArray(got) ? got : [got];
            if (rule.single) assert.equal(typeof got, 'string', `${name} takes a single value`);
            for (const v of values) assert.ok(allowed.includes(v as string) || (name === 'scope' && v === 'openid'), `${name} ${String(v)} is not supported by the OP`);
          }
        }),
        syncParams(),
      );
      tally.expectAccepts(500);
    });
  });
});

/**
 * The built-in service layer as a command-line RP for `certify-rp`, so that its certification is
 * one instance of certifying any RP: it runs one test's conversation with `RelyingParty` and exits
 * 0 when the user was logged in (and did what the test asks), 1 when the RP refused, printing the
 * named check it refused at.
 *
 * It plays the user agent itself (GET the authorization URL without following redirects; read
 * the redirect's query or fragment, or the form_post page's fields), and serves its own endpoints
 * (`jwks_uri`, request objects by reference, the post-logout redirect) on `127.0.0.1:<OIDC_RP_PORT>`
 * with `RpHandler`.
 *
 * Per test it is configured as the certification features configure the built-in RP: the
 * registration metadata and request objects a test asks for (see `TEST_SETTINGS`).
 *
 * Run by certify-rp: `examples/built-in/certify-rp.json`.
 *
 * @module
 */
import { createServer } from 'node:http';
import { fetchListener } from '../../mock-op/http-bridge.js';
import { OidcError, RelyingParty, RpHandler, type ClientMetadata, type RPConfig } from '../../src/index.js';

const env = process.env;

/** What some tests ask of the RP beyond the defaults: the certification features' per-test settings. */
const TEST_SETTINGS: Readonly<Record<string, { register?: ClientMetadata; requestObject?: 'reference' }>> = {
  'oidcc-client-test-idtoken-sig-none': { register: { id_token_signed_response_alg: 'none' } },
  'oidcc-client-test-userinfo-signed': { register: { userinfo_signed_response_alg: 'RS256' } },
  'oidcc-client-test-request-uri-signed-rs256': { register: { request_object_signing_alg: 'RS256' }, requestObject: 'reference' },
  'oidcc-client-test-request-uri-signed-none': { register: { request_object_signing_alg: 'none' }, requestObject: 'reference' },
};

/** The authorization response the user agent brings back: the redirect's parameters, or a form_post page's fields. */
async function followAuthorization(url: string): Promise<string | URLSearchParams> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status >= 300 && response.status < 400 && location) return new URL(location, url).toString();
  const html = await response.text();
  if (response.status === 200 && /<form\b/i.test(html)) {
    const fields = new URLSearchParams();
    for (const input of html.matchAll(/<input\b[^>]*>/gi)) {
      const name = /\bname="([^"]*)"/i.exec(input[0])?.[1];
      const value = /\bvalue="([^"]*)"/i.exec(input[0])?.[1] ?? '';
      if (name) fields.append(unescape(name), unescape(value));
    }
    return fields;
  }
  throw new Error(`the authorization endpoint answered HTTP ${response.status} without sending the browser back`);
}

/** HTML entities of an attribute value, decoded. */
function unescape(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

async function main(): Promise<void> {
  const port = Number(env.OIDC_RP_PORT);
  if (!Number.isInteger(port) || port <= 0) throw new TypeError('OIDC_RP_PORT must be a port for the RP to listen on');
  const base = `http://127.0.0.1:${port}`;
  const responseType = env.OIDC_RESPONSE_TYPE || 'code';
  const settings = TEST_SETTINGS[env.OIDC_TEST_ID ?? ''] ?? {};
  const redirectUri = env.OIDC_REDIRECT_URI || `${base}/callback`;
  const parts = responseType.split(' ');
  const preferences: ClientMetadata = {
    application_type: 'web',
    response_types: [responseType],
    grant_types: [...(parts.includes('code') ? ['authorization_code', 'refresh_token'] : []), ...(parts.some((p) => p !== 'code') ? ['implicit'] : [])],
    scope: ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...settings.register,
  };
  const config: RPConfig = {
    base_url: base,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [`${base}/logged_out`],
    jwks_uri: `${base}/jwks.json`,
    // A key of its own only where a test needs one (a signed request object): RSA keys take a while to make.
    ...(settings.requestObject ? { keys: { generate: ['RS256'] } } : {}),
    // The mock OP of a local run is on loopback http.
    allow: { http_links: true, private_addresses: true },
    ...(env.OIDC_CLIENT_ID
      ? { client_id: env.OIDC_CLIENT_ID, ...(env.OIDC_CLIENT_SECRET ? { client_secret: env.OIDC_CLIENT_SECRET } : {}), behaviour: preferences, issuer: env.OIDC_ISSUER }
      : { client_preferences: preferences, ...(env.OIDC_WEBFINGER ? {} : { issuer: env.OIDC_ISSUER }) }),
  };
  const rp = await RelyingParty.create(config);
  const handler = new RpHandler(rp);
  const server = createServer(fetchListener((request) => handler.handle(request), () => base));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  try {
    await rp.discover(env.OIDC_WEBFINGER || undefined);
    if (!env.OIDC_CLIENT_ID) await rp.register();
    const logins = Number(env.OIDC_LOGINS || '1');
    let state = '';
    for (let i = 0; i < logins; i += 1) {
      const started = await rp.beginLogin({
        response_type: responseType,
        ...(env.OIDC_RESPONSE_MODE ? { response_mode: env.OIDC_RESPONSE_MODE } : {}),
        ...(settings.requestObject ? { request_method: settings.requestObject } : {}),
      });
      const login = await rp.finishLogin(await followAuthorization(started.url), started.state);
      state = login.state;
      if (responseType !== 'id_token') await rp.userInfo(state);
    }
    if (env.OIDC_TASK === 'refresh') await rp.refresh(state);
    if (env.OIDC_TASK === 'rp-logout') {
      const back = await fetch(await rp.logoutUrl(state), { redirect: 'manual' });
      const location = back.headers.get('location');
      if (!location) throw new Error(`the end_session endpoint answered HTTP ${back.status} without sending the browser back`);
      const answer = await handler.handle(new Request(new URL(location, back.url ?? base)));
      if (answer === undefined || answer.status >= 400) throw new Error(`the RP refused the post-logout redirect (HTTP ${answer?.status ?? 404})`);
    }
    console.log(`logged in (${logins} login${logins === 1 ? '' : 's'}${env.OIDC_TASK && env.OIDC_TASK !== 'login' && env.OIDC_TASK !== 'login-twice' ? `, then ${env.OIDC_TASK}` : ''})`);
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // A refusal of the RP names its check; anything else is a failure of this program.
    console.error(error instanceof OidcError ? `refused at ${error.check}: ${error.message}` : `failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

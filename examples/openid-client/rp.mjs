#!/usr/bin/env node
// A command-line Relying Party on openid-client 6: the authorization code flow with PKCE, state and
// nonce, as the openid-client documentation shows it. It plays the user agent itself: it GETs the
// authorization URL, reads the redirect (or the form_post page) and hands the callback to
// openid-client. Exit 0: the user is logged in (and their UserInfo read); anything else: refused.
//
// Configured by the environment (see README.md): OIDC_ISSUER or OIDC_WEBFINGER, OIDC_CLIENT_ID and
// OIDC_CLIENT_SECRET (or none: then it registers itself), OIDC_REDIRECT_URI, OIDC_RESPONSE_MODE,
// OIDC_LOGINS, OIDC_RP_PORT, OIDC_TEST_ID. Flag: --non-repudiation (verify ID token signatures
// from the token endpoint too, client.enableNonRepudiationChecks).
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import * as client from 'openid-client';
import * as jose from 'jose';

const { values: flags } = parseArgs({ options: { 'non-repudiation': { type: 'boolean', default: false } } });
const env = process.env;
const SCOPE = 'openid profile email address phone';
const ISSUER_REL = 'http://openid.net/specs/connect/1.0/issuer';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

// Tests of the certification suite that want the authorization request passed by reference, and how
// the request object is to be signed. A developer certifying their RP configures it this way per test.
const REQUEST_URI_TESTS = {
  'oidcc-client-test-request-uri-signed-rs256': 'RS256',
  'rp-request_uri-sig': 'RS256',
  'oidcc-client-test-request-uri-signed-none': 'none',
  'rp-request_uri-unsigned': 'none',
};

// Tests that want registration metadata of their own (the RP registers itself in them).
const REGISTRATION_FOR_TEST = {
  'oidcc-client-test-userinfo-signed': { userinfo_signed_response_alg: 'RS256' },
  'rp-userinfo-sig': { userinfo_signed_response_alg: 'RS256' },
};

const isLoopback = (url) => LOOPBACK.has(url.hostname);

/** WebFinger issuer discovery (OIDC Discovery 2, RFC 7033) from a user identifier. */
async function webfinger(identifier) {
  let resource = identifier;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(resource)) resource = resource.includes('@') ? `acct:${resource}` : `https://${resource}`;
  const host = resource.startsWith('acct:') ? resource.slice(resource.lastIndexOf('@') + 1) : new URL(resource).host;
  if (!host) throw new Error(`cannot tell the host of ${identifier}`);
  const query = new URLSearchParams({ resource, rel: ISSUER_REL });
  // WebFinger is https; a host on loopback may be a development OP on plain http.
  const schemes = LOOPBACK.has(new URL(`http://${host}`).hostname) ? ['https', 'http'] : ['https'];
  let response;
  for (const scheme of schemes) {
    try {
      response = await fetch(`${scheme}://${host}/.well-known/webfinger?${query}`, { redirect: 'manual', headers: { accept: 'application/jrd+json' } });
      break;
    } catch (error) {
      if (scheme === schemes.at(-1)) throw error;
    }
  }
  if (response.status !== 200) throw new Error(`WebFinger answered HTTP ${response.status}`);
  const jrd = await response.json();
  const href = jrd?.links?.find?.((link) => link?.rel === ISSUER_REL)?.href;
  if (typeof href !== 'string') throw new Error('WebFinger named no issuer');
  const issuer = new URL(href);
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopback(issuer))) {
    throw new Error(`WebFinger issuer ${href} is not https`);
  }
  return issuer;
}

/** A small listener on loopback that serves request objects by reference. */
async function requestObjectServer(port) {
  const objects = new Map();
  const server = createServer((req, res) => {
    const jwt = objects.get(new URL(req.url, 'http://x').pathname);
    if (jwt === undefined) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/oauth-authz-req+jwt' }).end(jwt);
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    publish(jwt) {
      const path = `/request/${client.randomState()}.jwt`;
      objects.set(path, jwt);
      return `${base}${path}`;
    },
    close: () => server.close(),
  };
}

async function main() {
  const issuer = env.OIDC_WEBFINGER ? await webfinger(env.OIDC_WEBFINGER) : new URL(env.OIDC_ISSUER);
  const redirectUri = env.OIDC_REDIRECT_URI || `http://127.0.0.1:${env.OIDC_RP_PORT || '8000'}/callback`;
  const requestObjectAlg = REQUEST_URI_TESTS[env.OIDC_TEST_ID];
  const logins = Number(env.OIDC_LOGINS || '1');

  const execute = [];
  if (issuer.protocol === 'http:' && isLoopback(issuer)) execute.push(client.allowInsecureRequests);
  if (flags['non-repudiation']) execute.push(client.enableNonRepudiationChecks);

  let config;
  let signingKey;
  if (env.OIDC_CLIENT_ID) {
    config = await client.discovery(issuer, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET, client.ClientSecretBasic(env.OIDC_CLIENT_SECRET), { execute });
  } else {
    // Dynamic registration, with the RP's public key for signed request objects.
    const { privateKey, publicKey } = await jose.generateKeyPair('RS256');
    const jwk = { ...(await jose.exportJWK(publicKey)), alg: 'RS256', use: 'sig', kid: client.randomState() };
    signingKey = { key: privateKey, kid: jwk.kid };
    const metadata = {
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
      jwks: { keys: [jwk] },
      ...REGISTRATION_FOR_TEST[env.OIDC_TEST_ID],
    };
    config = await client.dynamicClientRegistration(issuer, metadata, client.ClientSecretBasic(), { execute });
  }

  const objects = requestObjectAlg ? await requestObjectServer(Number(env.OIDC_RP_PORT || '0')) : undefined;
  try {
    const users = [];
    for (let i = 0; i < logins; i++) users.push(await login(config, redirectUri, requestObjectAlg, signingKey, objects));
    const [{ sub, userinfo }] = users;
    const scoped = ['name', 'email', 'address', 'phone_number'].filter((claim) => claim in userinfo);
    console.log(`logged in as ${sub} (${logins} login${logins === 1 ? '' : 's'}; UserInfo: ${Object.keys(userinfo).length} claims, with ${scoped.join(', ') || 'none of name, email, address, phone_number'})`);
  } finally {
    objects?.close();
  }
}

/** One login: authorization request, the user agent's round trip, code exchange, UserInfo. */
async function login(config, redirectUri, requestObjectAlg, signingKey, objects) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const parameters = {
    redirect_uri: redirectUri,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  };
  if (env.OIDC_RESPONSE_MODE) parameters.response_mode = env.OIDC_RESPONSE_MODE;

  let authorizationUrl;
  if (requestObjectAlg === undefined) {
    authorizationUrl = client.buildAuthorizationUrl(config, parameters);
  } else {
    const jwt = await requestObject(config, parameters, requestObjectAlg, signingKey);
    authorizationUrl = client.buildAuthorizationUrl(config, { response_type: 'code', scope: 'openid', request_uri: objects.publish(jwt) });
  }

  const callback = await userAgent(authorizationUrl);
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce });
  const { sub } = tokens.claims();
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, sub);
  return { sub, userinfo };
}

/** A request object with the authorization parameters, signed with the RP's key or unsigned. */
async function requestObject(config, parameters, alg, signingKey) {
  const { client_id } = config.clientMetadata();
  const claims = { ...parameters, response_type: 'code', client_id };
  if (alg === 'none') {
    return new jose.UnsecuredJWT(claims).setIssuer(client_id).setAudience(config.serverMetadata().issuer).setIssuedAt().setExpirationTime('5m').encode();
  }
  if (signingKey === undefined) throw new Error('a signed request object needs a key registered with the client (run with dynamic registration)');
  // openid-client builds the signed request object (JAR); the RP passes it by reference.
  const byValue = await client.buildAuthorizationUrlWithJAR(config, { ...parameters, response_type: 'code' }, signingKey);
  return byValue.searchParams.get('request');
}

/**
 * The user agent's part: GET the authorization URL without following redirects and return the
 * callback: the redirect's URL, or for response_mode=form_post the form's POST as a Request.
 */
async function userAgent(authorizationUrl) {
  const response = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status >= 300 && response.status < 400 && location) return new URL(location, authorizationUrl);
  const html = await response.text();
  const form = /<form[^>]*\baction="([^"]*)"/i.exec(html);
  if (response.status === 200 && form) {
    const body = new URLSearchParams();
    for (const input of html.matchAll(/<input\b[^>]*>/gi)) {
      const name = /\bname="([^"]*)"/i.exec(input[0])?.[1];
      const value = /\bvalue="([^"]*)"/i.exec(input[0])?.[1] ?? '';
      if (name) body.append(unescapeHtml(name), unescapeHtml(value));
    }
    return new Request(new URL(unescapeHtml(form[1]), authorizationUrl), { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
  throw new Error(`the authorization endpoint answered HTTP ${response.status} without a redirect`);
}

function unescapeHtml(text) {
  return text.replace(/&(#x?[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (entity, code) => {
    const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[code.toLowerCase()];
    if (named) return named;
    return String.fromCodePoint(code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10));
  });
}

/** One line about a refusal: the library's error code and messages, never a token or code. */
function describe(error) {
  const code = error.code ?? error.error ?? error.name;
  const parts = [error.message];
  if (error.cause instanceof Error && error.cause.message !== error.message) parts.push(error.cause.message);
  if (error.error_description) parts.push(error.error_description);
  return `${code}: ${parts.join(': ')}`;
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`refused: ${describe(error)}`);
    process.exit(1);
  },
);

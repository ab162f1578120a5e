// A single-page app on oauth4webapi, in the browser: the authorization code flow with PKCE as a
// public client (token_endpoint_auth_method none). Start it at /?issuer=<issuer>&client_id=<id>;
// the OP sends the user back to /callback. Everything the login needs between the two pages is
// kept in sessionStorage.
import * as oauth from 'oauth4webapi';

const SCOPE = 'openid profile email address phone';
const here = new URL(location.href);
const redirectUri = new URL('/callback', location.origin).href;

const show = (id, text) => document.querySelector('main').replaceChildren(Object.assign(document.createElement('p'), { id, textContent: text }));

// http is for a development OP on loopback only.
const loopbackHttp = (url) => url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
const httpOptions = (issuer) => (loopbackHttp(issuer) ? { [oauth.allowInsecureRequests]: true } : {});

async function login() {
  const issuer = new URL(here.searchParams.get('issuer'));
  const client = { client_id: here.searchParams.get('client_id'), token_endpoint_auth_method: 'none' };
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...httpOptions(issuer) }));

  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem('login', JSON.stringify({ issuer: issuer.href, as, client, codeVerifier, state, nonce }));

  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: SCOPE,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  location.assign(url);
}

async function callback() {
  const saved = JSON.parse(sessionStorage.getItem('login') ?? 'null');
  sessionStorage.removeItem('login');
  if (saved === null) throw new Error('no login in progress');
  const { as, client, codeVerifier, state, nonce } = saved;
  const options = httpOptions(new URL(saved.issuer));

  const params = oauth.validateAuthResponse(as, client, here, state);
  history.replaceState(null, '', '/callback'); // the code leaves the address bar
  const tokenResponse = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, codeVerifier, options);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenResponse, { expectedNonce: nonce, requireIdToken: true });
  const { sub } = oauth.getValidatedIdTokenClaims(tokens);

  const userinfoResponse = await oauth.userInfoRequest(as, client, tokens.access_token, options);
  const userinfo = await oauth.processUserInfoResponse(as, client, sub, userinfoResponse);
  console.log(`logged in as ${sub} (UserInfo: ${Object.keys(userinfo).length} claims)`);
  show('logged-in', `Logged in as ${sub} (${userinfo.name ?? 'no name'}, ${userinfo.email ?? 'no email'})`);
}

function describe(error) {
  if (error instanceof oauth.AuthorizationResponseError) return `${error.error}: ${error.error_description ?? error.message}`;
  const cause = error.cause instanceof Error && error.cause.message !== error.message ? `: ${error.cause.message}` : '';
  return `${error.code ?? error.name}: ${error.message}${cause}`;
}

const step = here.pathname === '/callback' ? callback : here.searchParams.has('issuer') ? login : undefined;
if (step === undefined) {
  show('logged-out', 'Not logged in: open this page with ?issuer=<issuer>&client_id=<client id>.');
} else {
  step().catch((error) => {
    console.error(`refused: ${describe(error)}`);
    show('error', `Login failed: ${describe(error)}`);
  });
}

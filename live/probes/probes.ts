/**
 * The probes of a provider, after the OpenID Foundation's OP certification tests: each sends the
 * provider a request it must refuse, or checks an answer against its clause. One definition per
 * probe (what it sends, what the clause demands, the clause) in one registry, {@link PROBES}.
 *
 * A probe passes when the provider does what the clause demands of it (it refuses what it must
 * refuse). How it refuses (the error code, the status, a header) and what it only SHOULD do are
 * interop findings, which never fail a probe. A probe that needs what the provider does not offer
 * is skipped with its reason.
 */
import type { Finding } from '../../src/interop/finding.js';
import {
  bearerChallenge,
  clientAuthenticationRefusal,
  isRegisteredResponseType,
  jsonObject,
  unexpectedError,
} from '../../src/interop/rules.js';
import { AuthorizationRefused, claimsOf, describeAnswer, randomValue, type ProbeKit, type TokenAnswer } from './probe-kit.js';

/** What a probe saw. */
export interface ProbeOutcome {
  /** Whether the provider did what the clause demands. */
  passed: boolean;
  /** What the provider did, in words that finish "the provider ..." (no secrets). */
  observed: string;
  /** How it departs from its clauses without failing the probe. */
  findings: Finding[];
}

/** One probe. */
export interface ProbeDefinition {
  /** A stable id: the feature's tag `@probe:<id>` and `summary.json`'s `probe`. */
  readonly id: string;
  /** What the probe sends. */
  readonly sends: string;
  /** What the clause demands of the provider. */
  readonly demands: string;
  /** The clause. */
  readonly clause: string;
  /** Sends the probe and judges the answer. @throws {import('./probe-kit.js').ProbeSkipped} when it cannot run. */
  run(kit: ProbeKit): Promise<ProbeOutcome>;
}

const passed = (observed: string, findings: Finding[] = []): ProbeOutcome => ({ passed: true, observed, findings });
const failed = (observed: string, findings: Finding[] = []): ProbeOutcome => ({ passed: false, observed, findings });

/** Judges a token request the provider must refuse: failed when it issued tokens, else the error code is checked. */
function mustRefuse(kit: ProbeKit, answer: TokenAnswer, expected: readonly string[], errorClause: string, findingId: string, what: string): ProbeOutcome {
  if (kit.issued(answer)) return failed(`accepted ${what} and issued tokens (HTTP ${answer.status})`);
  return passed(`refused ${what} (${describeAnswer(answer)})`, unexpectedError(answer, expected, errorClause, answer.url, findingId));
}

/** The provider must advertise S256 PKCE for the PKCE probes to mean anything. */
function needPkce(kit: ProbeKit): void {
  if (!kit.supported('code_challenge_methods_supported').includes('S256')) {
    kit.skip('the provider does not advertise PKCE with S256 (code_challenge_methods_supported)');
  }
}

/** A sign-in the probe needs; a provider that will not complete it fails the probe with the reason. */
async function signInOrFail(kit: ProbeKit, ...args: Parameters<ProbeKit['signIn']>): Promise<Awaited<ReturnType<ProbeKit['signIn']>> | ProbeOutcome> {
  try {
    return await kit.signIn(...args);
  } catch (error) {
    if (error instanceof AuthorizationRefused) return failed(`did not complete the sign-in the probe needs: ${error.message}`);
    throw error;
  }
}

const isOutcome = (value: unknown): value is ProbeOutcome => typeof value === 'object' && value !== null && 'passed' in value && 'observed' in value;

const INVALID_GRANT = 'RFC 6749, 5.2 (invalid_grant: the grant is invalid, expired, revoked, does not match the redirection URI, or was issued to another client)';

/** Every probe, in the order the feature runs them. */
export const PROBES: readonly ProbeDefinition[] = [
  {
    id: 'code-reuse',
    sends: 'an authorization code that has already been exchanged, a second time',
    demands: 'the token endpoint refuses a code used twice, and should revoke the tokens issued with it',
    clause: 'RFC 6749, 4.1.2 and 10.5; OpenID Connect Core 1.0, 3.1.3.2',
    async run(kit) {
      const client = await kit.primaryClient();
      const signIn = await signInOrFail(kit, client);
      if (isOutcome(signIn)) return signIn;
      const first = await kit.exchange(client, signIn);
      if (!kit.issued(first)) return failed(`did not exchange a fresh code (${describeAnswer(first)}), so the second use proves nothing`);
      const second = await kit.exchange(client, signIn);
      const outcome = mustRefuse(kit, second, ['invalid_grant'], INVALID_GRANT, 'token.code-reuse-error', 'the code a second time');
      const accessToken = first.json?.['access_token'];
      if (outcome.passed && typeof accessToken === 'string' && typeof kit.metadata['userinfo_endpoint'] === 'string') {
        const userinfo = await kit.userinfo(accessToken);
        if (userinfo.status === 200) {
          outcome.findings.push({
            id: 'token.code-reuse-not-revoked',
            title: 'after an authorization code was used twice, the access token issued with it still worked at the userinfo endpoint',
            clause: 'RFC 6749, 4.1.2 (the server SHOULD revoke all tokens previously issued based on a code used more than once)',
            url: userinfo.url,
            requirement: 'SHOULD',
          });
        }
      }
      return outcome;
    },
  },
  {
    id: 'redirect-uri-mismatch',
    sends: "a code with a redirect_uri at the token endpoint that differs from the authorization request's",
    demands: 'the token endpoint refuses a redirect_uri that is not the one of the authorization request',
    clause: 'RFC 6749, 4.1.3; OpenID Connect Core 1.0, 3.1.3.2',
    async run(kit) {
      const client = await kit.primaryClient();
      const signIn = await signInOrFail(kit, client);
      if (isOutcome(signIn)) return signIn;
      const other = `${kit.rpOrigin}/another-callback`;
      return mustRefuse(kit, await kit.exchange(client, signIn, { redirect_uri: other }), ['invalid_grant'], INVALID_GRANT, 'token.redirect-uri-mismatch-error', 'a redirect_uri other than the authorization request\'s');
    },
  },
  {
    id: 'pkce-wrong-verifier',
    sends: 'a code with a PKCE code_verifier that does not match the S256 challenge of the authorization request',
    demands: 'the token endpoint refuses a verifier that does not match the challenge',
    clause: 'RFC 7636, 4.6',
    async run(kit) {
      needPkce(kit);
      const client = await kit.primaryClient();
      const signIn = await signInOrFail(kit, client);
      if (isOutcome(signIn)) return signIn;
      return mustRefuse(kit, await kit.exchange(client, signIn, { code_verifier: randomValue(32) }), ['invalid_grant'], 'RFC 7636, 4.6 (invalid_grant when the verifier does not match)', 'token.pkce-error', 'a verifier that does not match the challenge');
    },
  },
  {
    id: 'pkce-missing-verifier',
    sends: 'a code without a code_verifier, after the authorization request sent an S256 challenge',
    demands: 'the token endpoint refuses a code whose request carried a challenge when no verifier comes with it',
    clause: 'RFC 7636, 4.6; RFC 9700, 2.1.1',
    async run(kit) {
      needPkce(kit);
      const client = await kit.primaryClient();
      const signIn = await signInOrFail(kit, client);
      if (isOutcome(signIn)) return signIn;
      return mustRefuse(kit, await kit.exchange(client, signIn, { code_verifier: undefined }), ['invalid_grant', 'invalid_request'], 'RFC 7636, 4.6 (the verifier is checked against the challenge)', 'token.pkce-error', 'the code without a verifier');
    },
  },
  {
    id: 'pkce-downgrade',
    sends: 'a code_verifier at the token endpoint for a code whose authorization request carried no challenge (a PKCE downgrade)',
    demands: 'the token endpoint accepts a code_verifier only when the authorization request carried a code_challenge',
    clause: 'RFC 9700, 2.1.1 and 4.8.2',
    async run(kit) {
      needPkce(kit);
      const client = await kit.primaryClient();
      let signIn;
      try {
        signIn = await kit.signIn(client, { code_challenge: undefined, code_challenge_method: undefined });
      } catch (error) {
        // A provider that requires PKCE leaves nothing to downgrade.
        if (error instanceof AuthorizationRefused && error.error !== undefined) return passed(`refused an authorization request without a challenge ("${error.error}"), so no downgrade is possible`);
        if (error instanceof AuthorizationRefused) return failed(`did not complete the sign-in the probe needs: ${error.message}`);
        throw error;
      }
      return mustRefuse(kit, await kit.exchange(client, signIn, { code_verifier: randomValue(32) }), ['invalid_grant', 'invalid_request'], 'RFC 9700, 4.8.2 (a token request with a code_verifier is refused when the authorization request had no code_challenge)', 'token.pkce-downgrade-error', 'a verifier for a code issued without a challenge');
    },
  },
  {
    id: 'wrong-client-secret',
    sends: 'a code with the right client_id and a wrong client secret',
    demands: 'the token endpoint refuses a client that fails to authenticate, with invalid_client (HTTP 401 and WWW-Authenticate when it used HTTP Basic)',
    clause: 'RFC 6749, 2.3.1, 3.2.1 and 5.2',
    async run(kit) {
      const client = await kit.primaryClient();
      const signIn = await signInOrFail(kit, client);
      if (isOutcome(signIn)) return signIn;
      const answer = await kit.token(client, {
        grant_type: 'authorization_code',
        code: signIn.code,
        redirect_uri: signIn.request['redirect_uri'],
        code_verifier: signIn.verifier,
      }, { secret: `wrong-${randomValue(16)}` });
      if (kit.issued(answer)) return failed(`issued tokens to a client with a wrong secret (HTTP ${answer.status})`);
      return passed(`refused the wrong secret (${describeAnswer(answer)})`, clientAuthenticationRefusal(answer, client.method === 'client_secret_basic', answer.url));
    },
  },
  {
    id: 'unregistered-redirect-uri',
    sends: 'an authorization request whose redirect_uri is not registered for the client',
    demands: 'the provider does not redirect the browser to a redirect_uri that is not registered',
    clause: 'RFC 6749, 3.1.2.4 and 4.1.2.1; OpenID Connect Core 1.0, 3.1.2.1',
    async run(kit) {
      const client = await kit.primaryClient();
      const unregistered = `${kit.rpOrigin}/unregistered-callback`;
      const { url } = kit.authorizationRequest(client, { redirect_uri: unregistered });
      const visit = await kit.visit(await kit.openSession(), url, { signInIfAsked: true });
      if (visit.path === new URL(unregistered).pathname) {
        return failed(`sent the browser to the unregistered redirect_uri${visit.params?.has('code') ? ' with a code' : ''}`);
      }
      return passed(visit.at === 'rp' ? `sent the browser to ${visit.where}, not to the unregistered redirect_uri` : `kept the browser on its own page: ${visit.where}`);
    },
  },
  {
    id: 'unsupported-response-type',
    sends: 'an authorization request with a response_type the provider does not support',
    demands: 'the provider refuses it: no code, and unsupported_response_type at the redirect URI',
    clause: 'RFC 6749, 4.1.2.1; OpenID Connect Core 1.0, 3.1.2.6',
    async run(kit) {
      const client = await kit.primaryClient();
      const responseType = 'unsupported_probe_type';
      const { url } = kit.authorizationRequest(client, { response_type: responseType });
      const visit = await kit.visit(await kit.openSession(), url, { signInIfAsked: true });
      const clause = 'RFC 6749, 4.1.2.1 (unsupported_response_type, returned to the redirection URI)';
      if (visit.params?.has('code') === true || visit.params?.has('id_token') === true) return failed(`answered the unsupported response_type "${responseType}" with a ${visit.params.has('code') ? 'code' : 'ID token'}`);
      if (visit.at !== 'rp') {
        return passed(`refused it on its own page: ${visit.where}`, [{
          id: 'authorization.error-not-returned',
          title: 'an authorization request with a valid client and redirect URI was refused on the provider\'s page, not returned to the redirect URI',
          clause,
          url: kit.endpoint('authorization_endpoint'),
          requirement: 'MUST',
          detail: { refused: 'unsupported response_type' },
        }]);
      }
      const error = visit.params?.get('error') ?? undefined;
      const findings: Finding[] = error === 'unsupported_response_type' ? [] : [{
        id: 'authorization.unsupported-response-type-error',
        title: `an unsupported response_type was refused with ${error === undefined ? 'no error code' : `"${error}"`}, where unsupported_response_type belongs`,
        clause,
        url: kit.endpoint('authorization_endpoint'),
        requirement: 'MUST',
        detail: { error: error ?? null },
      }];
      return passed(`refused it at the redirect URI${error === undefined ? '' : ` with "${error}"`}`, findings);
    },
  },
  {
    id: 'no-openid-scope',
    sends: 'an authorization request without the openid scope',
    demands: 'the provider answers it (refusing it, or treating it as plain OAuth 2.0) without failing; an OpenID Connect answer to it is not specified',
    clause: 'OpenID Connect Core 1.0, 3.1.2.1 (openid is what makes a request OpenID Connect)',
    async run(kit) {
      const client = await kit.primaryClient();
      const scope = kit.scope.split(/\s+/).filter((s) => s !== 'openid' && s !== '').join(' ') || 'profile';
      const { url, verifier, params } = kit.authorizationRequest(client, { scope });
      const visit = await kit.visit(await kit.openSession(), url, { signInIfAsked: true });
      if (visit.at !== 'rp') return passed(`refused it on its own page: ${visit.where}`);
      const error = visit.params?.get('error');
      if (error === 'server_error') return failed('failed on it (server_error)');
      const code = visit.params?.get('code');
      if (!code) return passed(`refused it at the redirect URI${error ? ` with "${error}"` : ''}`);
      const answer = await kit.token(client, { grant_type: 'authorization_code', code, redirect_uri: params['redirect_uri'], code_verifier: verifier });
      if (answer.status >= 500) return failed(`failed at the token endpoint (HTTP ${answer.status})`);
      const findings: Finding[] = typeof answer.json?.['id_token'] === 'string' ? [{
        id: 'authorization.id-token-without-openid',
        title: 'the provider issued an ID token for a request without the openid scope',
        clause: 'OpenID Connect Core 1.0, 3.1.2.1 (without openid the request is not OpenID Connect and its behaviour is unspecified: an RP cannot count on it)',
        url: answer.url,
      }] : [];
      return passed(`treated it as an OAuth 2.0 request (${describeAnswer(answer)}${findings.length > 0 ? ', with an ID token' : ', without an ID token'})`, findings);
    },
  },
  {
    id: 'prompt-none-without-session',
    sends: 'an authorization request with prompt=none from a browser with no session at the provider',
    demands: 'the provider shows no page and returns an error to the redirect URI, typically login_required or interaction_required',
    clause: 'OpenID Connect Core 1.0, 3.1.2.1 (prompt=none) and 3.1.2.6',
    async run(kit) {
      const client = await kit.primaryClient();
      const { url } = kit.authorizationRequest(client, { prompt: 'none' });
      const visit = await kit.visit(await kit.openSession(), url);
      if (visit.at !== 'rp') {
        return failed(visit.askedForCredentials ? 'showed its login page despite prompt=none' : `did not return to the redirect URI: the browser came to rest at ${visit.where}`);
      }
      if (visit.params?.has('code') === true) return failed('issued a code with prompt=none to a browser that has no session');
      const error = visit.params?.get('error') ?? undefined;
      if (error === undefined) return failed('came back to the redirect URI with neither a code nor an error');
      const expected = ['login_required', 'interaction_required'];
      const findings: Finding[] = expected.includes(error) ? [] : [{
        id: 'authorization.prompt-none-error',
        title: `prompt=none without a session was answered with "${error}", not login_required or interaction_required`,
        clause: 'OpenID Connect Core 1.0, 3.1.2.1 (the error is typically login_required or interaction_required) and 3.1.2.6',
        url: kit.endpoint('authorization_endpoint'),
        detail: { error, description: visit.params?.get('error_description') ?? null },
      }];
      return passed(`returned "${error}" to the redirect URI`, findings);
    },
  },
  {
    id: 'max-age-auth-time',
    sends: 'an authorization request with max_age=3600',
    demands: 'the ID token carries auth_time',
    clause: 'OpenID Connect Core 1.0, 3.1.2.1 (max_age) and 2 (auth_time)',
    async run(kit) {
      const client = await kit.primaryClient();
      const signIn = await signInOrFail(kit, client, { max_age: '3600' });
      if (isOutcome(signIn)) return signIn;
      const answer = await kit.exchange(client, signIn);
      const claims = claimsOf(answer.json?.['id_token']);
      if (!claims) return failed(`issued no ID token for the request (${describeAnswer(answer)})`);
      if (typeof claims['auth_time'] !== 'number') return failed(`issued an ID token without auth_time (${claims['auth_time'] === undefined ? 'absent' : `a ${typeof claims['auth_time']}`})`);
      return passed('issued an ID token with auth_time');
    },
  },
  {
    id: 'max-age-zero',
    sends: 'an authorization request with max_age=0 from a browser that has just signed in',
    demands: 'the provider authenticates the user again, and the new ID token\'s auth_time is the new login\'s',
    clause: 'OpenID Connect Core 1.0, 3.1.2.1 (max_age: past it the OP MUST actively re-authenticate the End-User; max_age=0 is equivalent to prompt=login)',
    async run(kit) {
      const client = await kit.primaryClient();
      const first = await signInOrFail(kit, client);
      if (isOutcome(first)) return first;
      const firstTokens = await kit.exchange(client, first);
      const firstAuthTime = claimsOf(firstTokens.json?.['id_token'])?.['auth_time'];
      // max_age counts whole seconds: let one go by, so that any session is older than 0 s.
      const since = typeof firstAuthTime === 'number' ? firstAuthTime : Math.floor(Date.now() / 1000);
      while (Math.floor(Date.now() / 1000) <= since + 1) await new Promise((resolve) => setTimeout(resolve, 100));
      const request = kit.authorizationRequest(client, { max_age: '0' });
      const visit = await kit.visit(first.session, request.url, { signInIfAsked: true });
      if (!visit.askedForCredentials) {
        return failed(visit.at === 'rp'
          ? `sent the browser straight back${visit.params?.has('code') === true ? ' with a code' : ''}, without authenticating the user again`
          : `did not ask for the credentials again: the browser came to rest at ${visit.where}`);
      }
      const code = visit.params?.get('code');
      if (!code) return failed(`asked for the credentials again, but then did not send a code back (${visit.at === 'rp' ? `error "${visit.params?.get('error') ?? 'none'}"` : `the browser came to rest at ${visit.where}`})`);
      const second = { code, params: visit.params!, request: request.params, session: first.session, askedForCredentials: true, verifier: request.verifier };
      const claims = claimsOf((await kit.exchange(client, second)).json?.['id_token']);
      const authTime = claims?.['auth_time'];
      if (typeof authTime !== 'number') return failed('asked for credentials again, but its ID token carries no auth_time');
      if (authTime <= since) return failed(`asked for credentials again, but the new ID token's auth_time (${authTime}) is not later than the first login's (${since})`);
      return passed('asked for the credentials again and issued an ID token with the new auth_time');
    },
  },
  {
    id: 'state-and-nonce-echoed',
    sends: 'state and nonce values with characters that need care (space, +, /, =, %41)',
    demands: 'the provider returns the state exactly, and the ID token carries the nonce exactly',
    clause: 'RFC 6749, 4.1.2 (state); OpenID Connect Core 1.0, 3.1.2.1 and 2 (nonce)',
    async run(kit) {
      const client = await kit.primaryClient();
      const state = `${randomValue(12)} +/=%41~.-_`;
      const nonce = `${randomValue(12)} +/=%41~.-_`;
      const signIn = await signInOrFail(kit, client, { state, nonce });
      if (isOutcome(signIn)) return signIn;
      const returned = signIn.params.get('state');
      if (returned !== state) return failed(`returned the state ${returned === null ? 'not at all' : `changed (${JSON.stringify(returned)} for ${JSON.stringify(state)})`}`);
      const claims = claimsOf((await kit.exchange(client, signIn)).json?.['id_token']);
      if (!claims) return failed('returned the state exactly, but issued no ID token');
      if (claims['nonce'] !== nonce) return failed(`returned the state exactly, but the ID token's nonce is ${claims['nonce'] === undefined ? 'absent' : `changed (${JSON.stringify(claims['nonce'])} for ${JSON.stringify(nonce)})`}`);
      return passed('returned the state and the nonce exactly');
    },
  },
  {
    id: 'userinfo-invalid-token',
    sends: 'a userinfo request with an access token the provider never issued',
    demands: 'the userinfo endpoint refuses it with HTTP 401 and a WWW-Authenticate: Bearer challenge',
    clause: 'RFC 6750, 3 and 3.1; OpenID Connect Core 1.0, 5.3.3',
    async run(kit) {
      kit.endpoint('userinfo_endpoint');
      const answer = await kit.userinfo(randomValue(32));
      if (answer.status >= 200 && answer.status < 300) return failed(`answered with HTTP ${answer.status}${jsonObject(answer.body)?.['sub'] === undefined ? '' : ' and claims'}`);
      return passed(`refused it (HTTP ${answer.status}${answer.headers['www-authenticate'] ? `, WWW-Authenticate: ${answer.headers['www-authenticate'].split(' ')[0]}` : ', no WWW-Authenticate'})`, bearerChallenge(answer, answer.url));
    },
  },
  {
    id: 'refresh-token-other-client',
    sends: 'a refresh token issued to one client, presented by another client',
    demands: 'the token endpoint refuses a refresh token issued to another client',
    clause: 'RFC 6749, 6 and 10.4',
    async run(kit) {
      const client = await kit.primaryClient();
      const other = await kit.secondClient();
      const signIn = await signInOrFail(kit, client, { scope: kit.scopeWith('offline_access'), prompt: 'consent' });
      if (isOutcome(signIn)) return signIn;
      const tokens = await kit.exchange(client, signIn);
      const refreshToken = tokens.json?.['refresh_token'];
      if (typeof refreshToken !== 'string') return kit.skip(`the provider issued no refresh token for the scope "${kit.scopeWith('offline_access')}"`);
      return mustRefuse(kit, await kit.token(other, { grant_type: 'refresh_token', refresh_token: refreshToken }), ['invalid_grant'], INVALID_GRANT, 'token.refresh-other-client-error', "another client's refresh token");
    },
  },
  {
    id: 'refresh-token-unknown',
    sends: 'a refresh token the provider never issued',
    demands: 'the token endpoint refuses it with invalid_grant',
    clause: 'RFC 6749, 5.2 and 6',
    async run(kit) {
      const client = await kit.primaryClient();
      return mustRefuse(kit, await kit.token(client, { grant_type: 'refresh_token', refresh_token: randomValue(32) }), ['invalid_grant'], INVALID_GRANT, 'token.refresh-unknown-error', 'an unknown refresh token');
    },
  },
  {
    id: 'discovery-and-jwks',
    sends: 'nothing unusual: it reads the discovery document and the JWK Set',
    demands: 'the discovery document has the required members, names its issuer, uses https; the JWK Set holds public keys only, with use when it has keys of both uses',
    clause: 'OpenID Connect Discovery 1.0, 3 and 4.3; OpenID Connect Core 1.0, 10.1; RFC 7517, 4 and 5',
    async run(kit) {
      return judgeDiscovery(kit);
    },
  },
];

/** Hosts of the loopback interface. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Members of a discovery document that OpenID Connect Discovery 1.0, 3 requires. */
const REQUIRED = ['issuer', 'authorization_endpoint', 'jwks_uri', 'response_types_supported', 'subject_types_supported', 'id_token_signing_alg_values_supported'];

/** Private and symmetric key members that must never be in a published JWK Set. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** The key types a signing algorithm needs. */
function keyTypeFor(alg: string): string | undefined {
  if (/^(RS|PS)\d+$/.test(alg)) return 'RSA';
  if (/^ES\d+K?$/.test(alg)) return 'EC';
  if (alg === 'EdDSA' || alg === 'Ed25519') return 'OKP';
  return undefined;
}

async function judgeDiscovery(kit: ProbeKit): Promise<ProbeOutcome> {
  const problems: string[] = [];
  const findings: Finding[] = [];
  const discoveryUrl = `${kit.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const discovery = await kit.get(discoveryUrl);
  const doc = discovery.json;
  if (discovery.status !== 200 || doc === undefined) return failed(`answered discovery with ${describeAnswer(discovery)} and no JSON object`);

  const missing = REQUIRED.filter((m) => doc[m] === undefined);
  if (typeof doc['token_endpoint'] !== 'string' && kit.supported('response_types_supported').some((t) => t.split(' ').includes('code'))) missing.push('token_endpoint');
  if (missing.length > 0) problems.push(`lacks ${missing.join(', ')}`);
  if (typeof doc['issuer'] === 'string' && doc['issuer'] !== kit.issuer) problems.push(`names the issuer ${doc['issuer']}, not ${kit.issuer}`);

  const urls = Object.entries(doc).filter((e): e is [string, string] => typeof e[1] === 'string' && (e[0] === 'issuer' || e[0].endsWith('_endpoint') || e[0].endsWith('_uri') || e[0] === 'check_session_iframe'));
  // http on loopback is the test setup's, not the provider's: only http elsewhere is judged.
  const plain = urls.filter(([, url]) => URL.canParse(url) && new URL(url).protocol !== 'https:' && !LOOPBACK.has(new URL(url).hostname)).map(([name]) => name);
  if (plain.length > 0) {
    if (kit.allowHttp) {
      findings.push({ id: 'discovery.not-https', title: `the discovery document's ${plain.join(', ')} ${plain.length === 1 ? 'is' : 'are'} not https (accepted by the configuration)`, clause: 'OpenID Connect Discovery 1.0, 3 (issuer and endpoints use https)', url: discoveryUrl, requirement: 'MUST' });
    } else {
      problems.push(`names non-https URLs: ${plain.join(', ')}`);
    }
  }

  const unregistered = kit.supported('response_types_supported').filter((t) => !isRegisteredResponseType(t));
  if (unregistered.length > 0) {
    findings.push({
      id: 'discovery.unknown-response-types',
      title: `response_types_supported lists ${unregistered.map((t) => `"${t}"`).join(', ')}, which ${unregistered.length === 1 ? 'is not a response type' : 'are not response types'}`,
      clause: 'OpenID Connect Discovery 1.0, 3 (response_types_supported) and RFC 6749, 8.4 (the registered response types)',
      url: discoveryUrl,
      detail: { unregistered },
    });
  }

  if (typeof doc['jwks_uri'] !== 'string') return problems.length > 0 ? failed(`has a discovery document that ${problems.join('; ')}`, findings) : passed('has a discovery document without a JWK Set to read', findings);
  const jwks = await kit.get(doc['jwks_uri']);
  const keys = jwks.json?.['keys'];
  if (jwks.status !== 200 || !Array.isArray(keys)) {
    problems.push(`answers its jwks_uri with ${describeAnswer(jwks)}, not a JWK Set`);
    return failed(`has a discovery document or JWK Set that ${problems.join('; ')}`, findings);
  }
  const objects = keys.filter((k): k is Record<string, unknown> => k !== null && typeof k === 'object' && !Array.isArray(k));
  const exposed = objects.filter((k) => PRIVATE_MEMBERS.some((m) => k[m] !== undefined)).map((k) => String(k['kid'] ?? k['kty']));
  if (exposed.length > 0) problems.push(`publishes private or symmetric key material in its JWK Set (keys ${exposed.join(', ')})`);
  const withoutKty = objects.filter((k) => typeof k['kty'] !== 'string').length;
  if (withoutKty > 0) problems.push(`has ${withoutKty} key${withoutKty === 1 ? '' : 's'} without kty in its JWK Set`);
  const uses = new Set(objects.map((k) => k['use']).filter((u) => u !== undefined));
  const encryption = objects.some((k) => k['use'] === 'enc' || (typeof k['alg'] === 'string' && /^(RSA-OAEP|RSA1_5|ECDH-ES|A\d+KW|dir)/.test(k['alg'])));
  if (encryption && objects.some((k) => k['use'] === undefined)) problems.push('has signing and encryption keys in its JWK Set, but not every key says its use');
  const kids = objects.map((k) => k['kid']).filter((kid): kid is string => typeof kid === 'string');
  const duplicates = [...new Set(kids.filter((kid, i) => kids.indexOf(kid) !== i))];
  if (duplicates.length > 0) {
    findings.push({ id: 'jwks.duplicate-kid', title: `the JWK Set has several keys with the kid ${duplicates.join(', ')}`, clause: 'RFC 7517, 4.5 (different keys within a JWK Set SHOULD use distinct kid values) and OpenID Connect Core 1.0, 10.1', url: jwks.url, requirement: 'SHOULD' });
  }
  if (objects.length > 1 && kids.length < objects.length) {
    findings.push({ id: 'jwks.missing-kid', title: `${objects.length - kids.length} of the ${objects.length} keys in the JWK Set have no kid`, clause: 'OpenID Connect Core 1.0, 10.1 (kid required when a JWKS has several keys)', url: jwks.url, requirement: 'MUST' });
  }
  const signing = objects.filter((k) => k['use'] !== 'enc');
  const withoutKey = kit.supported('id_token_signing_alg_values_supported').filter((alg) => {
    const kty = keyTypeFor(alg);
    return kty !== undefined && !signing.some((k) => k['kty'] === kty && (k['alg'] === undefined || k['alg'] === alg));
  });
  if (withoutKey.length > 0) {
    findings.push({
      id: 'discovery.alg-without-key',
      title: `id_token_signing_alg_values_supported lists ${withoutKey.join(', ')}, but the JWK Set has no key for ${withoutKey.length === 1 ? 'it' : 'them'} (its keys' alg: ${[...new Set(signing.map((k) => String(k['alg'] ?? 'none')))].join(', ')})`,
      clause: 'OpenID Connect Discovery 1.0, 3 (id_token_signing_alg_values_supported) and RFC 7517, 4.4 (a key\'s alg is the algorithm it is meant for)',
      url: jwks.url,
      detail: { withoutKey, uses: [...uses].map(String) },
    });
  }
  if (problems.length > 0) return failed(`has a discovery document or JWK Set that ${problems.join('; ')}`, findings);
  return passed(`has a well-formed discovery document and a JWK Set of ${objects.length} public key${objects.length === 1 ? '' : 's'}`, findings);
}

/** The probe with `id`. @throws Error naming the known probes for an unknown one. */
export function probeById(id: string): ProbeDefinition {
  const probe = PROBES.find((p) => p.id === id);
  if (!probe) throw new Error(`no probe "${id}"; the probes are ${PROBES.map((p) => p.id).join(', ')}`);
  return probe;
}

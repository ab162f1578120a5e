/**
 * The rules an answer is checked against, each with the clause it comes from. The exchange checks
 * (./find-interop-issues.ts) and the probes of a live provider use the same rules, so a departure
 * is named the same way wherever it is seen.
 * @module
 */
import type { Finding } from './finding.js';

/** The part of an HTTP answer the rules look at. */
export interface Answer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** The error codes of a token endpoint error response (RFC 6749, 5.2). */
export const TOKEN_ERROR_CODES: readonly string[] = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope'];

/** The response types of the OAuth Authorization Endpoint Response Types registry (RFC 6749, 8.4; OAuth 2.0 Multiple Response Types). */
export const REGISTERED_RESPONSE_TYPES: readonly string[] = ['code', 'token', 'id_token', 'none', 'code token', 'code id_token', 'id_token token', 'code id_token token'];

/** A JSON object body, or `undefined`. */
export function jsonObject(body: string | undefined): Record<string, unknown> | undefined {
  if (body === undefined || body === '') return undefined;
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The `error` member of an error answer. */
export function errorCode(answer: Answer): string | undefined {
  const error = jsonObject(answer.body)?.['error'];
  return typeof error === 'string' ? error : undefined;
}

/** Whether a response type value (space-separated, any order) is a registered one. */
export function isRegisteredResponseType(value: string): boolean {
  const normal = value.split(' ').filter(Boolean).sort().join(' ');
  return REGISTERED_RESPONSE_TYPES.some((t) => t.split(' ').sort().join(' ') === normal);
}

/**
 * A token endpoint error answered with another status than RFC 6749, 5.2 gives it: 400, or 401
 * for `invalid_client`.
 */
export function tokenErrorStatus(answer: Answer, url: string): Finding[] {
  const error = errorCode(answer);
  if (error === undefined || answer.status < 400) return [];
  if (answer.status === 400 || (answer.status === 401 && error === 'invalid_client')) return [];
  return [{
    id: 'token.error-status',
    title: `the token endpoint answered the error "${error}" with HTTP ${answer.status}`,
    clause: 'RFC 6749, 5.2 (an error response is HTTP 400, or 401 for invalid_client)',
    url,
    requirement: 'MUST',
    detail: { status: answer.status, error },
  }];
}

/** The error code of a refusal, when it is not one of those `expected` (the first is the clause's). */
export function unexpectedError(answer: Answer, expected: readonly string[], clause: string, url: string, id: string): Finding[] {
  const error = errorCode(answer);
  if (error !== undefined && expected.includes(error)) return [];
  return [{
    id,
    title: error === undefined
      ? `the refusal carried no error code (HTTP ${answer.status}), where ${expected.join(' or ')} belongs`
      : `the refusal's error is "${error}", where ${expected.join(' or ')} belongs`,
    clause,
    url,
    requirement: 'MUST',
    detail: { status: answer.status, error: error ?? null, expected },
  }];
}

/**
 * A failed client authentication at the token endpoint: the error is `invalid_client`, and a
 * client that authenticated with HTTP Basic gets HTTP 401 with a `WWW-Authenticate` header.
 */
export function clientAuthenticationRefusal(answer: Answer, usedBasic: boolean, url: string): Finding[] {
  const findings = unexpectedError(answer, ['invalid_client'], 'RFC 6749, 5.2 (invalid_client: client authentication failed)', url, 'token.invalid-client');
  if (usedBasic && (answer.status !== 401 || !/basic/i.test(answer.headers['www-authenticate'] ?? ''))) {
    findings.push({
      id: 'token.invalid-client-challenge',
      title: `a client that failed HTTP Basic authentication got HTTP ${answer.status}${answer.headers['www-authenticate'] ? '' : ' without a WWW-Authenticate header'}, not 401 with WWW-Authenticate: Basic`,
      clause: 'RFC 6749, 5.2 (invalid_client: with HTTP Basic, 401 and a WWW-Authenticate header matching the scheme)',
      url,
      requirement: 'MUST',
      detail: { status: answer.status, wwwAuthenticate: answer.headers['www-authenticate'] ?? null },
    });
  }
  return findings;
}

/** A protected resource (userinfo) refusing a token: HTTP 401 with a `WWW-Authenticate: Bearer` challenge. */
export function bearerChallenge(answer: Answer, url: string): Finding[] {
  const findings: Finding[] = [];
  if (answer.status !== 401) {
    findings.push({
      id: 'userinfo.invalid-token-status',
      title: `the userinfo endpoint refused an invalid access token with HTTP ${answer.status}, not 401`,
      clause: 'RFC 6750, 3.1 (invalid_token: HTTP 401)',
      url,
      requirement: 'SHOULD',
      detail: { status: answer.status },
    });
  }
  if (!/bearer/i.test(answer.headers['www-authenticate'] ?? '')) {
    findings.push({
      id: 'userinfo.missing-www-authenticate',
      title: 'the userinfo endpoint refused an access token without a WWW-Authenticate: Bearer header',
      clause: 'RFC 6750, 3 (the resource server MUST include the WWW-Authenticate header) and OpenID Connect Core 1.0, 5.3.3',
      url,
      requirement: 'MUST',
      detail: { status: answer.status, wwwAuthenticate: answer.headers['www-authenticate'] ?? null },
    });
  }
  return findings;
}

/**
 * A dynamic registration's answer: HTTP 201, `client_id` a string, `client_id_issued_at` and
 * `client_secret_expires_at` numbers, and `client_secret_expires_at` present when a secret is issued.
 */
export function registrationAnswer(answer: Answer, url: string): Finding[] {
  const body = jsonObject(answer.body);
  if (answer.status < 200 || answer.status >= 300 || body === undefined) return [];
  const findings: Finding[] = [];
  if (answer.status !== 201) {
    findings.push({
      id: 'registration.status',
      title: `the registration endpoint answered a successful registration with HTTP ${answer.status}, not 201 Created`,
      clause: 'RFC 7591, 3.2.1 and OpenID Connect Dynamic Client Registration 1.0, 3.2 (HTTP 201 Created)',
      url,
      requirement: 'MUST',
      detail: { status: answer.status },
    });
  }
  const types: Array<[string, 'string' | 'number']> = [['client_id', 'string'], ['client_secret', 'string'], ['client_id_issued_at', 'number'], ['client_secret_expires_at', 'number']];
  const wrong = types.filter(([member, type]) => body[member] !== undefined && typeof body[member] !== type)
    .map(([member, type]) => `${member} is ${describe(body[member])}, not a ${type}`);
  if (wrong.length > 0) {
    findings.push({
      id: 'registration.member-type',
      title: `the registration response's ${wrong.join('; ')}`,
      clause: 'RFC 7591, 3.2.1 (client_id a string; client_id_issued_at and client_secret_expires_at numbers of seconds)',
      url,
      requirement: 'MUST',
      detail: { wrong },
    });
  }
  const missing = [
    ...(body['client_id'] === undefined ? ['client_id'] : []),
    ...(body['client_secret'] !== undefined && body['client_secret_expires_at'] === undefined ? ['client_secret_expires_at'] : []),
  ];
  if (missing.length > 0) {
    findings.push({
      id: 'registration.missing-member',
      title: `the registration response lacks ${missing.join(' and ')}${missing.includes('client_secret_expires_at') ? ', required when a client secret is issued' : ''}`,
      clause: 'RFC 7591, 3.2.1 and OpenID Connect Dynamic Client Registration 1.0, 3.2',
      url,
      requirement: 'MUST',
      detail: { missing },
    });
  }
  return findings;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}

/**
 * A test's request log as reports and log pages show it: every secret the OP issued or holds
 * (client secrets, codes, tokens) taken out, with the rest of the redaction done by the one
 * redaction module (`src/transport/redact.ts`).
 *
 * @module
 */
import { redactExchange } from '../src/transport/redact.js';
import type { Provider } from './provider.js';
import type { LoggedRequest } from './request-log.js';

/** One request of the log, redacted. */
export interface RedactedRequest {
  readonly method: string;
  readonly url: string;
  readonly endpoint: LoggedRequest['endpoint'];
  readonly status: number | undefined;
  readonly error: string | undefined;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly time: string;
}

/** Every secret an OP issued or holds: client secrets, registration access tokens, codes, access and refresh tokens. */
export function secretsOf(provider: Provider): string[] {
  const secrets: string[] = [];
  for (const client of provider.clients.values()) {
    secrets.push(client.client_secret);
    if (typeof client.registration_access_token === 'string') secrets.push(client.registration_access_token);
  }
  secrets.push(...provider.codes.keys(), ...provider.accessTokens.keys(), ...provider.refreshTokens.keys(), ...provider.claimsSourceTokens.keys());
  return secrets.filter((s) => s.length >= 8);
}

/** The log entries with their secrets taken out. */
export function redactedLog(entries: readonly LoggedRequest[], secrets: readonly string[]): RedactedRequest[] {
  return entries.map((entry) => {
    const { request } = redactExchange({ request: { url: entry.url, headers: { ...entry.headers }, body: entry.body } }, secrets);
    return { method: entry.method, url: request.url, endpoint: entry.endpoint, status: entry.status, error: entry.error, headers: request.headers, body: request.body ?? '', time: entry.time.toISOString() };
  });
}

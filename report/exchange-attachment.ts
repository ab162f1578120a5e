/**
 * An exchange as a report attachment: named by who sent it to whom, method, path and status
 * (`RP to OP: POST /token -> 200`), holding every JWT in it decoded (header and claims, never a
 * signature) and, beside them, the redacted request and answer as they were recorded. The one
 * module that does so for the Cucumber scenarios (`steps/support/world.ts`) and for the OP's
 * request log of `certify-rp` (`mock-op/certify-rp/allure-results.ts`).
 *
 * @module
 */
import type { ConversationExchange } from './conversation.js';
import { exchangeTitle } from './conversation.js';
import type { DecodedJwt } from './jwt.js';
import { decodeJwts } from './jwt.js';

/** An attachment: its name in the report, its content and how to read it. */
export interface ReportAttachment {
  readonly name: string;
  readonly content: string;
  readonly contentType: string;
  /** The file extension, with its dot. */
  readonly fileExtension: string;
  /** When what it shows happened, in milliseconds since the epoch (where the report places it). */
  readonly timestamp?: number | undefined;
}

/** What an exchange's attachment holds. */
export interface ExchangeRecord {
  /** The title (`RP to OP: POST /token -> 200`). */
  readonly exchange: string;
  /** Every JWT of the exchange, decoded (first, so that a reader sees the claims before the raw form). */
  readonly jwts?: readonly DecodedJwt[];
  readonly request: { readonly method: string; readonly url: string; readonly headers?: Record<string, string>; readonly body?: unknown };
  readonly response?: { readonly status: number; readonly headers: Record<string, string>; readonly body: unknown };
  /** The OP's answer as its log tells it (`certify-rp`: status and OAuth error, no body). */
  readonly answer?: { readonly status?: number | undefined; readonly error?: string | undefined };
  /** Why no answer came (the transport's check and message). */
  readonly error?: { readonly check: string; readonly message: string };
  readonly startedAt?: string;
  readonly ms?: number;
}

/** The content type of a set of headers. */
function contentTypeOf(headers: Record<string, string> | undefined): string {
  return Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
}

/** A body as the report shows it: JSON parsed (so it reads as JSON), anything else as the text it is. */
function shownBody(body: string, headers: Record<string, string> | undefined): unknown {
  if (!/json/i.test(contentTypeOf(headers)) || body === '') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** The JWTs of an exchange, from its URL, headers and bodies. */
function jwtsOf(exchange: ConversationExchange, secrets: readonly string[]): DecodedJwt[] {
  const found: DecodedJwt[] = [];
  const recorded = exchange.recorded;
  const logged = exchange.logged;
  found.push(...decodeJwts(exchange.url, 'request URL', secrets));
  for (const [name, value] of Object.entries(recorded?.request.headers ?? logged?.headers ?? {})) found.push(...decodeJwts(value, `request header ${name}`, secrets));
  found.push(...decodeJwts(recorded?.request.body ?? logged?.body ?? '', 'request body', secrets));
  if (recorded?.response) {
    for (const [name, value] of Object.entries(recorded.response.headers)) found.push(...decodeJwts(value, `response header ${name}`, secrets));
    found.push(...decodeJwts(recorded.response.body, 'response body', secrets));
  }
  return found;
}

/**
 * What the attachment of an exchange holds: the request and answer as recorded (redacted), and
 * the JWTs decoded. `secrets` are known secret values, taken out of what is decoded.
 */
export function exchangeRecord(exchange: ConversationExchange, secrets: readonly string[] = []): ExchangeRecord {
  const jwts = jwtsOf(exchange, secrets);
  const recorded = exchange.recorded;
  const logged = exchange.logged;
  const request = recorded?.request ?? (logged ? { method: logged.method, url: logged.url, headers: logged.headers, body: logged.body } : { method: exchange.method, url: exchange.url });
  const headers = 'headers' in request ? request.headers : undefined;
  const body = 'body' in request && request.body !== undefined && request.body !== '' ? { body: shownBody(request.body, headers) } : {};
  return {
    exchange: exchangeTitle(exchange),
    ...(jwts.length > 0 ? { jwts } : {}),
    request: { method: request.method, url: request.url, ...(headers ? { headers } : {}), ...body },
    ...(recorded?.response ? { response: { status: recorded.response.status, headers: recorded.response.headers, body: shownBody(recorded.response.body, recorded.response.headers) } } : {}),
    ...(logged ? { answer: { status: logged.status, ...(logged.error === undefined ? {} : { error: logged.error }) } } : {}),
    ...(recorded?.error ? { error: recorded.error } : {}),
    ...(recorded ? { startedAt: recorded.startedAt, ms: recorded.ms } : logged ? { startedAt: logged.time } : {}),
  };
}

/** The attachment of one exchange: its title as the name, its record as JSON. */
export function exchangeAttachment(exchange: ConversationExchange, secrets: readonly string[] = []): ReportAttachment {
  return {
    name: exchangeTitle(exchange),
    content: JSON.stringify(exchangeRecord(exchange, secrets), null, 2),
    contentType: 'application/json',
    fileExtension: '.json',
    timestamp: exchange.start,
  };
}

/** One attachment for a whole log (`certify-rp`'s "the OP's request log"): every entry's record, oldest first. */
export function exchangeLogAttachment(name: string, exchanges: readonly ConversationExchange[], secrets: readonly string[] = []): ReportAttachment {
  return {
    name,
    content: JSON.stringify(exchanges.map((exchange) => exchangeRecord(exchange, secrets)), null, 2),
    contentType: 'application/json',
    fileExtension: '.json',
  };
}

import { OPError, OidcError, ResponseError } from '../errors.js';
import type { JsonObject } from '../messages.js';
import type { ServiceContext } from '../service-context.js';
import type { HttpResponse, RequestParameters } from '../transport/http.js';

/** The identifiers under which {@link buildServices} returns each service, as in the oidcservice documentation. */
export type ServiceName =
  | 'webfinger'
  | 'provider_info'
  | 'registration'
  | 'registration_read'
  | 'authorization'
  | 'accesstoken'
  | 'refresh_token'
  | 'userinfo'
  | 'end_session'
  | 'check_session'
  | 'check_id'
  | 'distributed_claims';

/**
 * A service's configuration in a service specification, as in the oidcservice documentation
 * (`{ UserInfo: { default_authn_method: 'bearer_body' } }`).
 */
export interface ServiceConfig {
  /**
   * How the service authenticates: a client authentication method for the token endpoint
   * (`client_secret_post`, ...), or `bearer_header` / `bearer_body` for the userinfo endpoint.
   */
  default_authn_method?: string;
  [setting: string]: unknown;
}

/** Options of `parseResponse` and `updateServiceContext`. */
export interface StateOptions {
  /** The session the response belongs to (the value of `state`). */
  state?: string | undefined;
  /**
   * For an authorization response: the browser binding the user agent brought back (the login
   * cookie's value), which must be the one its login was started with.
   */
  browserBinding?: string | undefined;
}

/**
 * What `parseResponse` accepts: a response from the transport (status and content type are
 * checked), the body text, or an already-decoded object (a form post, say).
 */
export type ResponseInput = HttpResponse | string | JsonObject;

/** The formats a service's HTTP response may come in. */
export type ResponseFormat = 'json' | 'jwt';

/** True when `value` is an {@link HttpResponse}. */
export function isHttpResponse(value: unknown): value is HttpResponse {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as HttpResponse).status === 'number' &&
    typeof (value as HttpResponse).body === 'string' &&
    typeof (value as HttpResponse).headers === 'object' &&
    (value as HttpResponse).headers !== null
  );
}

/** The media type of a `Content-Type` header, lower case, without parameters. */
export function mediaType(contentType: unknown): string {
  return typeof contentType === 'string' ? contentType.split(';')[0]!.trim().toLowerCase() : '';
}

/** How deeply a JSON document may nest: deeper is refused before parsing, as no protocol message needs it. */
export const MAX_JSON_DEPTH = 64;

/** The nesting depth of a decoded value, counted without recursion; stops counting past `limit`. */
export function valueDepth(value: unknown, limit = MAX_JSON_DEPTH + 1): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const member of Object.values(current)) stack.push([member, depth + 1]);
  }
  return deepest;
}

/** The deepest nesting of arrays and objects in JSON text, counted without parsing (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i += 1; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) deepest = Math.max(deepest, (depth += 1));
    else if (c === 125 || c === 93) depth -= 1;
  }
  return deepest;
}

/**
 * Parses JSON text that must be an object.
 * @throws {ResponseError} `parseJson`.
 */
export function parseJsonObject(text: string, what: string): JsonObject {
  if (typeof text !== 'string') throw new ResponseError('parseJson', `the ${what} is not text`);
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw new ResponseError('parseJson', `the ${what} nests deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ResponseError('parseJson', `the ${what} is not valid JSON`, { cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ResponseError('parseJson', `the ${what} is not a JSON object`);
  }
  return value as JsonObject;
}

/**
 * An OAuth 2.0 error response (`error`, `error_description`, `error_uri`) found in `message` becomes
 * an {@link OPError}. Nothing happens when `message` has no `error` member.
 * @throws {OPError} `checkErrorResponse`.
 */
export function throwIfErrorResponse(message: JsonObject, service: string): void {
  if (message['error'] === undefined) return;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v.slice(0, 500) : undefined);
  throw new OPError('checkErrorResponse', {
    error: str(message['error']) ?? 'invalid_error_response',
    error_description: str(message['error_description']),
    error_uri: str(message['error_uri']),
  }, { detail: { service } });
}

/**
 * The base of every service: it builds a request from the {@link ServiceContext}
 * (`getRequestParameters`), parses and verifies the answer (`parseResponse`) and records what it
 * learnt (`updateServiceContext`). It never performs I/O itself; a transport sends the request.
 *
 * @typeParam Args the request arguments `getRequestParameters` takes.
 * @typeParam Res the verified response `parseResponse` returns.
 */
export abstract class Service<Args extends object = Record<string, unknown>, Res extends JsonObject = JsonObject> {
  /** The service's identifier, as in {@link buildServices}. */
  abstract readonly serviceName: ServiceName;
  /** The context the service reads and updates. */
  readonly context: ServiceContext;
  /** The HTTP statuses that count as success. */
  protected readonly successStatuses: readonly number[] = [200];
  /** The formats accepted, with the media types that announce them. */
  protected readonly formats: Readonly<Record<string, ResponseFormat>> = { 'application/json': 'json' };
  /** A word for messages. */
  protected abstract readonly what: string;

  /** The service's own configuration, from the service specification. */
  readonly config: ServiceConfig;

  constructor(context: ServiceContext, config: ServiceConfig = {}) {
    this.context = context;
    this.config = config;
  }

  /** Builds the request: method, URL, body and headers. Stores per-session data where the oidcservice documentation does. */
  abstract getRequestParameters(args?: Args): Promise<RequestParameters>;

  /**
   * Parses and verifies a response. From an {@link HttpResponse} the HTTP status and content type are
   * checked first; an OAuth error body becomes an {@link OPError}; then the service's own
   * verification runs.
   * @throws {ResponseError} `checkHttpStatus`, `checkContentType`, `parseJson` and the service's own checks.
   * @throws {OPError} `checkErrorResponse`.
   * @throws {VerificationError} the service's verification checks.
   */
  async parseResponse(input: ResponseInput, options: StateOptions = {}): Promise<Res> {
    try {
      const { message, format, raw } = this.deserialize(input);
      await this.checkFirst(message, options);
      throwIfErrorResponse(message, this.serviceName);
      return await this.verify(message, { ...options, format, raw });
    } catch (error) {
      if (error instanceof OidcError && error.detail['service'] === undefined) {
        (error.detail as Record<string, unknown>)['service'] = this.serviceName;
      }
      throw error;
    }
  }

  /** Records a verified response in the context and the session. Default: nothing to record. */
  async updateServiceContext(_response: Res, _options: StateOptions = {}): Promise<void> {}

  /**
   * Checks that run before an error response is turned into an {@link OPError}: an authorization
   * error response must still carry this RP's `state`. Default: none.
   */
  protected async checkFirst(_message: JsonObject, _options: StateOptions): Promise<void> {}

  /** Verifies a decoded response; each service names its own checks. */
  protected abstract verify(message: JsonObject, options: StateOptions & { format: ResponseFormat | 'object'; raw: string | undefined }): Promise<Res>;

  /** Turns the input into a JSON object, checking status and content type of HTTP responses. */
  protected deserialize(input: ResponseInput): { message: JsonObject; format: ResponseFormat | 'object'; raw: string | undefined } {
    if (isHttpResponse(input)) return this.fromHttp(input);
    if (typeof input === 'string') return { message: parseJsonObject(input, this.what), format: 'json', raw: input };
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new ResponseError('parseJson', `the ${this.what} is not an object`);
    }
    if (valueDepth(input) > MAX_JSON_DEPTH) throw new ResponseError('parseJson', `the ${this.what} nests deeper than ${MAX_JSON_DEPTH} levels`);
    return { message: input, format: 'object', raw: undefined };
  }

  /** Checks an HTTP response's status and content type and decodes its body. */
  protected fromHttp(response: HttpResponse): { message: JsonObject; format: ResponseFormat; raw: string } {
    const type = mediaType(response.headers['content-type']);
    if (!this.successStatuses.includes(response.status)) {
      if (response.status >= 400 && response.status < 500 && type.endsWith('json')) {
        let body: JsonObject | undefined;
        try {
          body = parseJsonObject(response.body, this.what);
        } catch {
          body = undefined;
        }
        if (body && typeof body['error'] === 'string') throwIfErrorResponse(body, this.serviceName);
      }
      const challenge = typeof response.headers['www-authenticate'] === 'string' ? response.headers['www-authenticate'] : '';
      const bearerError = /error="([^"]+)"/.exec(challenge);
      if (bearerError?.[1]) {
        const description = /error_description="([^"]*)"/.exec(challenge)?.[1];
        throw new OPError('checkErrorResponse', { error: bearerError[1], error_description: description }, { detail: { service: this.serviceName, status: response.status } });
      }
      throw new ResponseError('checkHttpStatus', `the ${this.what} came with HTTP ${response.status}, expected ${this.successStatuses.join(' or ')}`, {
        detail: { status: response.status, expected: [...this.successStatuses] },
      });
    }
    const format = this.formats[type] ?? (type.endsWith('+json') && Object.values(this.formats).includes('json') ? 'json' : undefined);
    if (format === undefined) {
      throw new ResponseError('checkContentType', `the ${this.what} has content type "${type || 'none'}", expected ${Object.keys(this.formats).join(' or ')}`, {
        detail: { contentType: type, expected: Object.keys(this.formats) },
      });
    }
    if (typeof response.body !== 'string') throw new ResponseError('parseJson', `the ${this.what} has no text body`);
    if (format === 'jwt') return { message: { jwt: response.body.trim() }, format, raw: response.body };
    return { message: parseJsonObject(response.body, this.what), format, raw: response.body };
  }
}

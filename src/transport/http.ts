/**
 * The shapes that pass between the service layer and a transport.
 * @module
 */

/** HTTP methods the services use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * What a service's `getRequestParameters` returns: everything needed to make one HTTP request.
 * The service layer builds it and does no I/O; a {@link Transport} sends it.
 */
export interface RequestParameters {
  /** The HTTP method. */
  method: HttpMethod;
  /** The absolute URL, query included. */
  url: string;
  /** The request body, already encoded (JSON or `application/x-www-form-urlencoded`). */
  body?: string;
  /** Request headers. */
  headers?: Record<string, string>;
}

/** A response as a transport hands it to a service's `parseResponse`. */
export interface HttpResponse {
  /** The HTTP status code. */
  status: number;
  /** Response headers, names in lower case; repeated headers are joined with `, `, `set-cookie` values with a line break. */
  headers: Record<string, string>;
  /** The body as text (UTF-8). */
  body: string;
  /** The URL that answered (after any redirects the policy followed). */
  url: string;
}

/** One request and its outcome, as recorded for reports. Always redacted before anyone sees it. */
export interface Exchange {
  /** The request as sent. */
  request: { method: HttpMethod; url: string; headers: Record<string, string>; body?: string };
  /** The response, when one came. */
  response?: { status: number; headers: Record<string, string>; body: string };
  /** The failure, when none came: the check name and message of the {@link TransportError}. */
  error?: { check: string; message: string };
  /** When the request started (ISO 8601). */
  startedAt: string;
  /** How long it took, in milliseconds. */
  ms: number;
}

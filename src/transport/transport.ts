import { Agent, type Dispatcher } from 'undici';
import { TransportError } from '../errors.js';
import type { Exchange, HttpResponse, RequestParameters } from './http.js';
import { redactExchange, redactUrl } from './redact.js';

/** How a {@link Transport} treats a 3xx answer. */
export type RedirectPolicy =
  /** Hand the 3xx to the caller as it is (the default: an OP endpoint that redirects is a finding). */
  | 'manual'
  /** Fail with `transportRedirect`. */
  | 'error'
  /** Follow up to `follow` redirects of GET requests, never from https to http. */
  | { follow: number };

/** Options of a {@link Transport}. */
export interface TransportOptions {
  /** Milliseconds to establish a connection. Default 5,000. */
  connectTimeout?: number;
  /** Milliseconds to wait for the response headers. Default 10,000. */
  headersTimeout?: number;
  /** Milliseconds allowed between two chunks of the body. Default 10,000. */
  bodyTimeout?: number;
  /**
   * Milliseconds for the whole exchange, body included. Default 30,000. This deadline also holds
   * where the dispatcher is bypassed (an in-process mock OP).
   */
  timeout?: number;
  /** The largest response body accepted, in bytes. Default 1 MiB. */
  maxResponseBytes?: number;
  /** What to do with redirects. Default `'manual'`. */
  redirect?: RedirectPolicy;
  /** The `User-Agent` header. */
  userAgent?: string;
  /** A dispatcher of one's own (a proxy agent, say). When given, the timeouts above that belong to it are not applied. */
  dispatcher?: Dispatcher;
  /**
   * Secret values known to the caller (a client secret, say) that must not appear in a recorded
   * exchange even outside the fields redacted by name. Called at each recording.
   */
  secrets?: () => Iterable<string>;
}

/** A listener for recorded, redacted exchanges. */
export type ExchangeListener = (exchange: Exchange) => void;

/** Something that sends a request and answers with a response: the {@link Transport}, or a test double. */
export interface HttpClient {
  /** Sends one request. */
  send(request: RequestParameters): Promise<HttpResponse>;
}

/** Headers that carry credentials, dropped when a redirect leaves the origin. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'dpop']);

const DEFAULTS = {
  connectTimeout: 5_000,
  headersTimeout: 10_000,
  bodyTimeout: 10_000,
  timeout: 30_000,
  maxResponseBytes: 1024 * 1024,
} as const;

/**
 * The HTTP transport: the global `fetch` with an undici `Agent` as dispatcher (which MSW
 * intercepts in-process and which reaches a real OP unchanged), with timeouts, a response size
 * limit, a redirect policy, and a recording hook that only ever sees redacted exchanges.
 */
export class Transport implements HttpClient {
  readonly #options: Required<Omit<TransportOptions, 'dispatcher' | 'secrets' | 'userAgent'>> & TransportOptions;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #listeners = new Set<ExchangeListener>();

  constructor(options: TransportOptions = {}) {
    this.#options = {
      connectTimeout: options.connectTimeout ?? DEFAULTS.connectTimeout,
      headersTimeout: options.headersTimeout ?? DEFAULTS.headersTimeout,
      bodyTimeout: options.bodyTimeout ?? DEFAULTS.bodyTimeout,
      timeout: options.timeout ?? DEFAULTS.timeout,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
      redirect: options.redirect ?? 'manual',
      ...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
      ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    };
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      new Agent({
        connect: { timeout: this.#options.connectTimeout },
        headersTimeout: this.#options.headersTimeout,
        bodyTimeout: this.#options.bodyTimeout,
      });
  }

  /**
   * Registers a listener for recorded exchanges and returns a function that removes it.
   * Listeners receive exchanges after redaction, never before.
   */
  onExchange(listener: ExchangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Sends `request` and reads the whole response body.
   * @throws {TransportError} `transportConnect`, `transportReset`, `transportTimeout`,
   *   `transportSize`, `transportRedirect` or `transportNetwork`.
   */
  async send(request: RequestParameters): Promise<HttpResponse> {
    const policy = this.#options.redirect;
    const limit = typeof policy === 'object' ? policy.follow : 0;
    const seen = new Set<string>();
    let current = request;
    for (let hop = 0; ; hop += 1) {
      const response = await this.#sendOnce(current);
      const location = response.headers['location'];
      if (response.status < 300 || response.status > 399 || location === undefined || policy === 'manual') {
        return response;
      }
      if (policy === 'error') {
        throw new TransportError('transportRedirect', `${redactUrl(current.url)} answered with a redirect (HTTP ${response.status}), which the redirect policy refuses`);
      }
      const next = new URL(location, current.url);
      if (hop >= limit || current.method !== 'GET' || seen.has(next.href)) {
        throw new TransportError('transportRedirect', `too many redirects or a redirect loop starting at ${redactUrl(request.url)}`, { detail: { hops: hop + 1 } });
      }
      if (new URL(current.url).protocol === 'https:' && next.protocol !== 'https:') {
        throw new TransportError('transportRedirect', 'a redirect from https to a non-https URL was refused');
      }
      seen.add(current.url);
      const { body: _dropped, headers, ...rest } = current;
      // Credentials never follow a redirect to another origin.
      const crossOrigin = new URL(current.url).origin !== next.origin;
      const kept = Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !(crossOrigin && CREDENTIAL_HEADERS.has(name.toLowerCase()))));
      current = { ...rest, headers: kept, url: next.href };
    }
  }

  /** Closes the dispatcher this transport created (not one that was passed in). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #sendOnce(request: RequestParameters): Promise<HttpResponse> {
    const started = Date.now();
    const headers: Record<string, string> = { ...request.headers };
    if (this.#options.userAgent && !Object.keys(headers).some((h) => h.toLowerCase() === 'user-agent')) {
      headers['User-Agent'] = this.#options.userAgent;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#options.timeout);
    try {
      let response: Response;
      try {
        // `dispatcher` is undici's extension of RequestInit. The global fetch is Node's bundled
        // undici, whose types differ from the undici package's, hence the cast through unknown.
        response = await fetch(request.url, {
          method: request.method,
          headers,
          redirect: 'manual',
          signal: controller.signal,
          dispatcher: this.#dispatcher,
          ...(request.body === undefined ? {} : { body: request.body }),
        } as unknown as RequestInit);
      } catch (cause) {
        throw this.#failure(cause, request, controller.signal.aborted);
      }
      const body = await this.#readBody(response, request, controller);
      const responseHeaders = Object.fromEntries(response.headers.entries());
      // Set-Cookie values are not joined with commas (an Expires date has one): one per line.
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) responseHeaders['set-cookie'] = cookies.join('\n');
      const result: HttpResponse = {
        status: response.status,
        headers: responseHeaders,
        body,
        url: request.url,
      };
      if (this.#listeners.size > 0) {
        this.#record({
          request: { method: request.method, url: request.url, headers, ...(request.body === undefined ? {} : { body: request.body }) },
          response: { status: result.status, headers: result.headers, body: result.body },
          startedAt: new Date(started).toISOString(),
          ms: Date.now() - started,
        });
      }
      return result;
    } catch (error) {
      if (error instanceof TransportError) {
        this.#record({
          request: { method: request.method, url: request.url, headers, ...(request.body === undefined ? {} : { body: request.body }) },
          error: { check: error.check, message: error.message },
          startedAt: new Date(started).toISOString(),
          ms: Date.now() - started,
        });
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async #readBody(response: Response, request: RequestParameters, controller: AbortController): Promise<string> {
    const max = this.#options.maxResponseBytes;
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > max) {
      controller.abort();
      throw new TransportError('transportSize', `the response from ${redactUrl(request.url)} declares ${declared} bytes, over the limit of ${max}`, { detail: { limit: max } });
    }
    if (response.body === null) return '';
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > max) {
          controller.abort();
          throw new TransportError('transportSize', `the response from ${redactUrl(request.url)} is over the limit of ${max} bytes`, { detail: { limit: max } });
        }
        chunks.push(value);
      }
    } catch (cause) {
      if (cause instanceof TransportError) throw cause;
      throw this.#failure(cause, request, controller.signal.aborted);
    } finally {
      reader.releaseLock();
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  #failure(cause: unknown, request: RequestParameters, aborted: boolean): TransportError {
    const url = redactUrl(request.url);
    if (aborted) {
      return new TransportError('transportTimeout', `no complete answer from ${url} within ${this.#options.timeout} ms`, { cause, detail: { timeout: this.#options.timeout } });
    }
    const code = errorCode(cause);
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return new TransportError('transportTimeout', `could not connect to ${url} within ${this.#options.connectTimeout} ms`, { cause, detail: { code } });
      case 'UND_ERR_HEADERS_TIMEOUT':
      case 'UND_ERR_BODY_TIMEOUT':
        return new TransportError('transportTimeout', `${url} stopped answering (${code})`, { cause, detail: { code } });
      case 'ECONNREFUSED':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'EHOSTUNREACH':
        return new TransportError('transportConnect', `could not connect to ${url} (${code})`, { cause, detail: { code } });
      case 'ECONNRESET':
      case 'UND_ERR_SOCKET':
      case 'EPIPE':
        return new TransportError('transportReset', `the connection to ${url} was closed before the answer was complete (${code})`, { cause, detail: { code } });
      default:
        return new TransportError('transportNetwork', `the request to ${url} failed${code ? ` (${code})` : ''}`, { cause, detail: code ? { code } : {} });
    }
  }

  #record(exchange: Exchange): void {
    if (this.#listeners.size === 0) return;
    const redacted = redactExchange(exchange, this.#options.secrets?.() ?? []);
    for (const listener of this.#listeners) listener(redacted);
  }
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A real HTTP listener on 127.0.0.1 for the RP's endpoints (redirect_uri, post-logout URI, ...).
 *
 * The OP sends the browser back with a redirect (or a form_post), which Playwright's
 * `page.route()` does not see; so the RP's endpoints are served for real, and each request is
 * handed to a Fetch API handler.
 */
import { closeServer } from './close-server.js';
import { createServer, type IncomingMessage } from 'node:http';
import { fetchListener } from '../mock-op/http-bridge.js';
import type { AddressInfo } from 'node:net';

/** Answers one request; `undefined` means 404. */
export type CallbackHandler = (request: Request) => Promise<Response | undefined>;

/** One request the listener received, kept for assertions. */
export interface ReceivedRequest {
  method: string;
  /** The full URL, `http://127.0.0.1:<port><path>`. */
  url: string;
  headers: Headers;
  /** The raw body ('' when there is none). */
  body: string;
  /**
   * The parameters: the query string, plus the form fields of an
   * `application/x-www-form-urlencoded` body (a form_post response).
   */
  params: URLSearchParams;
  /** When it arrived (Date.now()). */
  receivedAt: number;
}

/** Options for startCallbackListener. */
export interface CallbackListenerOptions {
  /** Port on 127.0.0.1; 0 (the default) picks any free port. */
  port?: number;
  /** The RP's request handler; without one every request gets a small 200 page. */
  handler?: CallbackHandler;
}

/** A running callback listener. */
export interface CallbackListener {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  /** Every request received so far, oldest first. */
  requests: readonly ReceivedRequest[];
  /** Errors thrown by the handler (each answered with a 500). */
  handlerErrors: Error[];
  /**
   * Resolves with the first request (already received or still to come) that matches,
   * rejects after `timeoutMs` or when the listener closes.
   */
  waitForRequest(predicate: (request: ReceivedRequest) => boolean, timeoutMs: number): Promise<ReceivedRequest>;
  /** Stops the server, drops open connections and frees the port. */
  close(): Promise<void>;
}

interface Waiter {
  predicate: (request: ReceivedRequest) => boolean;
  resolve: (request: ReceivedRequest) => void;
  reject: (error: Error) => void;
}

/** A Host header naming the loopback interface, with its port. */
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\]):\d+$/;

const DEFAULT_PAGE = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Callback received</title></head>'
  + '<body><p>Callback received.</p></body></html>';

/** Starts the listener and resolves once it accepts connections. */
export async function startCallbackListener(options: CallbackListenerOptions = {}): Promise<CallbackListener> {
  const handler: CallbackHandler = options.handler
    ?? (async () => new Response(DEFAULT_PAGE, { headers: { 'content-type': 'text/html; charset=utf-8' } }));
  const requests: ReceivedRequest[] = [];
  const handlerErrors: Error[] = [];
  const waiters = new Set<Waiter>();
  let base = '';

  /** Records a request the browser sent, wakes whoever waits for it, and has the handler answer it. */
  async function serve(request: Request): Promise<Response> {
    const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text();
    const received: ReceivedRequest = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body,
      params: paramsOf(request.url, request.headers, body),
      receivedAt: Date.now(),
    };
    requests.push(received);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(received)) {
        waiters.delete(waiter);
        waiter.resolve(received);
      }
    }
    try {
      return (await handler(request)) ?? new Response('not found', { status: 404 });
    } catch (error) {
      handlerErrors.push(error instanceof Error ? error : new Error(String(error)));
      return new Response('callback handler failed', { status: 500 });
    }
  }

  // The URL as the browser addressed it (localhost, 127.0.0.1 or [::1]), so that it matches the RP's configuration.
  const origin = (message: IncomingMessage): string => {
    const host = message.headers.host;
    return host !== undefined && LOOPBACK_HOST.test(host) ? `http://${host}` : base;
  };
  const server = createServer(fetchListener(serve, origin));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    port,
    requests,
    handlerErrors,
    waitForRequest(predicate, timeoutMs) {
      const seen = requests.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      if (!server.listening) return Promise.reject(new Error('the callback listener is closed'));
      return new Promise<ReceivedRequest>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching request reached the callback listener within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter: Waiter = {
          predicate,
          resolve: (request) => {
            clearTimeout(timer);
            resolve(request);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        waiters.add(waiter);
      });
    },
    close: () => {
      for (const waiter of waiters) waiter.reject(new Error('the callback listener was closed'));
      waiters.clear();
      return closeServer(server);
    },
  };
}

/** The query's parameters, and a form body's. */
function paramsOf(url: string, headers: Headers, body: string): URLSearchParams {
  const params = new URL(url).searchParams;
  const contentType = headers.get('content-type') ?? '';
  if (contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(body)) params.append(name, value);
  }
  return params;
}

/**
 * A real HTTP listener on 127.0.0.1 for the RP's endpoints (redirect_uri, post-logout URI, ...).
 *
 * The OP sends the browser back with a redirect (or a form_post), which Playwright's
 * `page.route()` does not see; so the RP's endpoints are served for real, and each request is
 * handed to a Fetch API handler.
 */
import { closeServer } from './close-server.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      handlerErrors.push(error instanceof Error ? error : new Error(String(error)));
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    // The URL as the browser addressed it (localhost, 127.0.0.1 or [::1]), so that it matches the RP's configuration.
    const host = req.headers.host;
    const url = `${host !== undefined && LOOPBACK_HOST.test(host) ? `http://${host}` : base}${req.url ?? '/'}`;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    const method = req.method ?? 'GET';
    const received: ReceivedRequest = {
      method,
      url,
      headers,
      body: body.toString('utf8'),
      params: paramsOf(url, headers, body),
      receivedAt: Date.now(),
    };
    requests.push(received);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(received)) {
        waiters.delete(waiter);
        waiter.resolve(received);
      }
    }

    const hasBody = method !== 'GET' && method !== 'HEAD' && body.length > 0;
    const request = new Request(url, { method, headers, ...(hasBody ? { body } : {}) });
    let response: Response | undefined;
    try {
      response = await handler(request);
    } catch (error) {
      handlerErrors.push(error instanceof Error ? error : new Error(String(error)));
      response = new Response('callback handler failed', { status: 500 });
    }
    response ??= new Response('not found', { status: 404 });
    await writeResponse(res, response);
  }

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
    close: () => closeServerAfter(server, () => {
      for (const waiter of waiters) waiter.reject(new Error('the callback listener was closed'));
      waiters.clear();
    }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function paramsOf(url: string, headers: Headers, body: Buffer): URLSearchParams {
  const params = new URL(url).searchParams;
  const contentType = headers.get('content-type') ?? '';
  if (contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) params.append(name, value);
  }
  return params;
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  const cookies = response.headers.getSetCookie();
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.end(Buffer.from(await response.arrayBuffer()));
}


function closeServerAfter(server: Server, beforeClose: () => void): Promise<void> {
  beforeClose();
  return closeServer(server);
}

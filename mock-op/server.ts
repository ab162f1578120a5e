/**
 * The conformance OP on a real HTTP server: `node:http` on loopback, each `IncomingMessage`
 * translated to a Fetch API `Request` and the `Response` written back. The base URL is
 * `http://<host>:<port>`, so issuers are http (fine on loopback).
 *
 * Bodies are buffered (and sent with `Content-Length`) except those of a `streamedResponse`, which
 * are written chunk by chunk as they come. A `Response.error()` destroys the socket (a connection
 * reset, as the client sees it). Each request's `signal` aborts when the client goes away before
 * the answer is complete, so a fault that never answers or trickles stops there.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { Writable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConformanceOp } from './conformance/conformance-op.js';
import { createConformanceOp } from './conformance/conformance-op.js';
import type { ConformanceOpOptions } from './conformance/conformance-op.js';
import type { OpKeys } from './keys.js';
import { isStreamedResponse } from './streamed-response.js';

/** Options of {@link startMockOpServer}. */
export interface MockOpServerOptions {
  /** The port; 0 (default) picks a free one. */
  readonly port?: number;
  /** The interface to listen on (default `127.0.0.1`); it is also the host of the base URL. */
  readonly host?: string;
  /** The OP keys (generated when absent: slow, share them). */
  readonly keys?: OpKeys;
  /** More options of the conformance OP (everything but `base` and `keys`). */
  readonly op?: Omit<ConformanceOpOptions, 'base' | 'keys'>;
}

/** A running mock OP server. */
export interface MockOpServer {
  /** The base URL, `http://<host>:<port>` (issuers are `<url>/<rp_id>/<test_id>`). */
  readonly url: string;
  /** The port listened on. */
  readonly port: number;
  /** The conformance OP it serves (providers, logs, reset). */
  readonly op: ConformanceOp;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Reads a whole request body. */
async function readBody(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * Translates a Node request to a Fetch API `Request` for `origin`; `signal` (optional) becomes the
 * request's signal.
 */
export async function toFetchRequest(message: IncomingMessage, origin: string, signal?: AbortSignal): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const method = message.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(message);
  return new Request(new URL(message.url ?? '/', origin), {
    method,
    headers,
    ...(body === undefined || body.length === 0 ? {} : { body: new Uint8Array(body) }),
    ...(signal === undefined ? {} : { signal }),
  });
}

/** Resolves once `out` can take more data, or once it closed (whichever comes first). */
function drained(out: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.once('drain', done);
    out.once('close', done);
  });
}

/**
 * Writes a streamed body chunk by chunk (chunked transfer encoding unless the response declares a
 * `Content-Length`), flushing the headers first. Stops, cancelling the body, when the client goes.
 */
async function writeStreamedBody(body: ReadableStream<Uint8Array>, out: ServerResponse): Promise<void> {
  out.flushHeaders();
  const reader = body.getReader();
  const cancel = (): void => {
    reader.cancel().catch(() => undefined);
  };
  out.once('close', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (out.destroyed) {
        cancel();
        return;
      }
      if (!out.write(value)) await drained(out);
    }
    if (!out.destroyed) out.end();
  } catch {
    // The body failed (or was cancelled because the client went away): cut the answer short.
    out.destroy();
  } finally {
    out.off('close', cancel);
  }
}

/**
 * Writes a Fetch API `Response` to a Node response (all `Set-Cookie` headers kept). A network error
 * (`Response.error()`) destroys the socket instead; a `streamedResponse` body is written as it comes.
 */
export async function writeFetchResponse(response: Response, out: ServerResponse): Promise<void> {
  if (response.type === 'error') {
    out.destroy();
    return;
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  if (isStreamedResponse(response) && response.body !== null) {
    out.writeHead(response.status, headers);
    await writeStreamedBody(response.body, out);
    return;
  }
  const body = Buffer.from(await response.arrayBuffer());
  headers['content-length'] = String(body.length);
  out.writeHead(response.status, headers);
  out.end(body);
}

/** Starts the conformance OP on `http://<host>:<port>`; resolves once it listens. */
export async function startMockOpServer(options: MockOpServerOptions = {}): Promise<MockOpServer> {
  const host = options.host ?? '127.0.0.1';
  let op: ConformanceOp | undefined;
  let origin = '';
  const server = createServer((message, out) => {
    // Aborted when the connection closes before the answer is complete: the client gave up.
    const gone = new AbortController();
    out.once('close', () => {
      if (!out.writableFinished) gone.abort();
    });
    void (async () => {
      try {
        if (op === undefined) throw new Error('the OP is not ready');
        const response = await op.handle(await toFetchRequest(message, origin, gone.signal));
        await writeFetchResponse(response ?? new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } }), out);
      } catch (error) {
        if (out.destroyed) return;
        if (!out.headersSent) out.writeHead(500, { 'Content-Type': 'text/plain' });
        out.end(String(error));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  origin = `http://${hostPart}:${port}`;
  try {
    op = await createConformanceOp({ ...options.op, base: origin, ...(options.keys === undefined ? {} : { keys: options.keys }) });
  } catch (error) {
    server.close();
    throw error;
  }
  return {
    url: origin,
    port,
    op,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

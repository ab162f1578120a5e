/**
 * The one bridge between Node's HTTP server and the Fetch API: a Node request becomes a Fetch
 * `Request` (its body read up to a limit), a Fetch `Response` is written back (every
 * `Set-Cookie` kept; a streamed body chunk by chunk; `Response.error()` as a connection reset).
 * The mock OP's server and the RP's loopback listener both serve through it.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { isStreamedResponse } from './streamed-response.js';

/** The largest request body read by default: 1 MiB (OAuth requests are small). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A request body over the limit: answered 413 without reading the rest. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
  }
}

/** Reads a whole request body, refusing one over `limit` bytes (by its Content-Length, or as it streams). */
export async function readBody(message: IncomingMessage, limit = DEFAULT_MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(message.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of message) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** Options of {@link toFetchRequest}. */
export interface ToFetchRequestOptions {
  /** Aborts the request (the client went away). */
  readonly signal?: AbortSignal;
  /** The largest body read (default {@link DEFAULT_MAX_BODY_BYTES}). */
  readonly maxBodyBytes?: number;
}

/**
 * Translates a Node request to a Fetch API `Request` for `origin` (scheme, host and port the
 * request is taken to be addressed to). Throws {@link BodyTooLargeError} for a body over the limit.
 */
export async function toFetchRequest(message: IncomingMessage, origin: string, options: ToFetchRequestOptions = {}): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const method = message.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(message, options.maxBodyBytes);
  return new Request(new URL(message.url ?? '/', origin), {
    method,
    headers,
    ...(body === undefined || body.length === 0 ? {} : { body: new Uint8Array(body) }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
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
 * (`Response.error()`) destroys the socket instead; a `streamedResponse` body is written as it comes;
 * any other body is buffered and sent with its `Content-Length`.
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

/**
 * A Node request listener that answers through a Fetch handler: `origin` says which origin a
 * request is addressed to, `handle` answers it (or `undefined` for 404). Each request's signal
 * aborts when the client goes away before the answer is complete; a body over the limit is 413;
 * a handler that throws is a 500 naming the error.
 */
export function fetchListener(
  handle: (request: Request) => Promise<Response | undefined>,
  origin: (message: IncomingMessage) => string,
  options: { maxBodyBytes?: number } = {},
): (message: IncomingMessage, out: ServerResponse) => void {
  return (message, out) => {
    const gone = new AbortController();
    out.once('close', () => {
      if (!out.writableFinished) gone.abort();
    });
    void (async () => {
      try {
        const request = await toFetchRequest(message, origin(message), { signal: gone.signal, ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }) });
        const response = await handle(request);
        await writeFetchResponse(response ?? new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } }), out);
      } catch (error) {
        if (out.destroyed) return;
        const tooLarge = error instanceof BodyTooLargeError;
        if (!out.headersSent) out.writeHead(tooLarge ? 413 : 500, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
        out.end(tooLarge ? error.message : `the server failed: ${error instanceof Error ? error.message : String(error)}`);
        // Stop reading a body that is over the limit.
        if (tooLarge) message.destroy();
      }
    })();
  };
}

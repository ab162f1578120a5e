/**
 * The building blocks of the fault behaviours: an OP that fails as a network or a server fails
 * (never answers, trickles, drops the connection, errs, loops, floods, answers HTML), at one
 * endpoint, through the `intercept` hook (the endpoint itself never runs).
 *
 * Every answer here works the same in process (MSW, `op.handle`) and on the real server
 * (`server.ts`): a `Response.error()` becomes a destroyed socket there, a {@link streamedResponse}
 * is written chunk by chunk, and the request's `signal` aborts when the client goes away. Nothing
 * here holds a timer that outlives its request.
 *
 * @module
 */
import type { Awaitable, HookContext, OpBehaviour } from '../behaviour.js';
import type { EndpointName, IssuerEndpointName } from '../endpoint-paths.js';
import { discoveryDocument } from '../endpoints/discovery.js';
import { pacedStream } from '../paced-stream.js';
import { htmlResponse } from '../responses.js';
import { streamedResponse } from '../streamed-response.js';

/** What a fault answers instead of the endpoint. */
export type FaultAnswer = (ctx: HookContext) => Awaitable<Response>;

/** The bytes of an answer, built per request. */
export type FaultBody = (ctx: HookContext) => Awaitable<Uint8Array>;

/** The JSON media type the OP's answers carry. */
const JSON_TYPE = 'application/json; charset=utf-8';

/** Answers every request to `endpoint` with `answer` instead of the endpoint's own answer. */
export function faultAt(endpoint: EndpointName, answer: FaultAnswer): Partial<OpBehaviour> {
  return { intercept: (ctx: HookContext) => (ctx.endpoint === endpoint ? answer(ctx) : undefined) };
}

/** The well-behaved discovery document of the request's OP, as JSON bytes. */
export function discoveryJson(ctx: HookContext): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(discoveryDocument(ctx.op)));
}

/**
 * Never answers: the answer settles only when the request's signal aborts (the client gave up or
 * went away), with a network error nobody reads. Without a signal that ever aborts it stays
 * pending, holding no timer.
 */
export function neverAnswers(): FaultAnswer {
  return (ctx) =>
    new Promise<Response>((resolve) => {
      const { signal } = ctx.request;
      if (signal.aborted) {
        resolve(Response.error());
        return;
      }
      signal.addEventListener('abort', () => resolve(Response.error()), { once: true });
    });
}

/** Options of {@link trickles}. */
export interface TrickleOptions {
  /** Milliseconds between two chunks. */
  readonly intervalMs: number;
  /** Bytes per chunk (default 1). */
  readonly chunkBytes?: number;
}

/**
 * Answers 200 at once with `body`, then sends the body `chunkBytes` at a time, one chunk every
 * `intervalMs`: headers come quickly, the whole answer takes `length / chunkBytes * intervalMs`.
 */
export function trickles(body: FaultBody, options: TrickleOptions): FaultAnswer {
  return async (ctx) => {
    const bytes = await body(ctx);
    return streamedResponse(pacedStream(bytes, { chunkBytes: options.chunkBytes ?? 1, intervalMs: options.intervalMs, signal: ctx.request.signal }), {
      status: 200,
      headers: { 'Content-Type': JSON_TYPE },
    });
  };
}

/**
 * Drops the connection without an answer: `Response.error()`, which an in-process fetch (MSW)
 * turns into a network error and the real server into a destroyed socket.
 */
export function resetsConnection(): FaultAnswer {
  return () => Response.error();
}

/** Answers `status` with a short plain-text body and `headers` (e.g. `Retry-After`). */
export function failsWithStatus(status: number, text: string, headers: Record<string, string> = {}): FaultAnswer {
  return () => new Response(`${text}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers } });
}

/** Options of {@link oversized}. */
export interface OversizedOptions {
  /** The body's size in bytes. */
  readonly bytes: number;
  /** Whether the answer declares its size in `Content-Length` (else the client finds out by counting). */
  readonly declareLength: boolean;
  /** Bytes per chunk as the body is streamed (default 64 KiB). */
  readonly chunkBytes?: number;
}

/**
 * Answers 200 with a valid JSON object of exactly `options.bytes` bytes: the well-behaved
 * discovery document with a `padding` member filled up to the size, streamed as fast as it is read.
 */
export function oversized(options: OversizedOptions): FaultAnswer {
  return (ctx) => {
    const doc = discoveryDocument(ctx.op);
    const encoder = new TextEncoder();
    const base = encoder.encode(JSON.stringify({ ...doc, padding: '' })).byteLength;
    const fill = Math.max(0, options.bytes - base);
    const bytes = encoder.encode(JSON.stringify({ ...doc, padding: 'x'.repeat(fill) }));
    return streamedResponse(pacedStream(bytes, { chunkBytes: options.chunkBytes ?? 64 * 1024, intervalMs: 0, signal: ctx.request.signal }), {
      status: 200,
      headers: { 'Content-Type': JSON_TYPE, ...(options.declareLength ? { 'Content-Length': String(bytes.byteLength) } : {}) },
    });
  };
}

/** Answers 200 with an HTML page (a maintenance page, say) where JSON was expected. */
export function answersHtml(): FaultAnswer {
  return () => htmlResponse('Down for maintenance', '<h1>Down for maintenance</h1><p>Please come back later.</p>');
}

/**
 * A redirect loop A -> B -> A: `endpoint` answers 302 to `<issuer><detourPath>`, which answers 302
 * back to the endpoint's URL (`detourPath` must be no endpoint's path). A client that follows redirects goes round for ever unless it
 * notices; one that does not follow them gets a 302 where it expected an answer.
 */
export function redirectLoop(endpoint: IssuerEndpointName, detourPath: string): Partial<OpBehaviour> {
  return {
    intercept: (ctx: HookContext) => {
      const url = new URL(ctx.request.url);
      if (ctx.endpoint === endpoint) {
        return new Response(null, { status: 302, headers: { Location: `${ctx.op.issuer}${detourPath}`, 'Cache-Control': 'no-store' } });
      }
      const issuerPath = ctx.op.issuerUrl.pathname.replace(/\/+$/, '');
      if (ctx.endpoint === 'unknown' && url.pathname === issuerPath + detourPath) {
        return new Response(null, { status: 302, headers: { Location: ctx.op.endpointUrl(endpoint), 'Cache-Control': 'no-store' } });
      }
      return undefined;
    },
  };
}

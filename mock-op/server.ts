/**
 * The conformance OP on a real HTTP server, for an RP of any language, a browser, or someone
 * driving an RP by hand: `node:http` (or `node:https` with the run's certificate) on loopback or
 * any interface, every request bridged to the Fetch API (`http-bridge.ts`).
 *
 * The issuer follows the host the RP used: a request to `http://localhost:8080/...` is served by
 * the issuer `http://localhost:8080/<rp_id>/<test_id>`, one to `127.0.0.1` by the `127.0.0.1` one,
 * so discovery never names a host the RP did not ask for. An OP behind a proxy or in a container
 * network is reached by the configured public base URL instead.
 *
 * Request bodies are limited (1 MiB by default, 413 beyond) and so is the time a client may take
 * to send its headers (10 s).
 *
 * @module
 */
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ConformanceOp, ConformanceOpOptions } from './conformance/conformance-op.js';
import { createConformanceOp } from './conformance/conformance-op.js';
import { DEFAULT_MAX_BODY_BYTES, fetchListener } from './http-bridge.js';
import type { OpKeys } from './keys.js';

export { toFetchRequest, writeFetchResponse } from './http-bridge.js';

/** Options of {@link startMockOpServer}. */
export interface MockOpServerOptions {
  /** The port; 0 (default) picks a free one. */
  readonly port?: number;
  /** The interface to listen on (default `127.0.0.1`); `0.0.0.0` or `::` for every interface. */
  readonly host?: string;
  /** The OP keys (generated when absent: slow, share them). */
  readonly keys?: OpKeys;
  /** More options of the conformance OP (everything but `base`, `keys` and the origins it accepts). */
  readonly op?: Omit<ConformanceOpOptions, 'base' | 'keys' | 'acceptsOrigin'>;
  /** Serve https with this certificate and key (PEM), e.g. from `createRunAuthority`. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /**
   * The base URL RPs use when it is not the address listened on (a proxy, a container network:
   * `https://op.test:8443`). Requests whose Host is its host are served under it.
   */
  readonly publicBase?: string;
  /** The largest request body accepted, in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** How long a client may take to send its request headers, in milliseconds (default 10,000). */
  readonly headersTimeoutMs?: number;
  /** Makes the handler of requests that are not the OP's (pages of the harness), answered before a 404. */
  readonly pages?: (op: ConformanceOp) => (request: Request) => Promise<Response | undefined>;
}

/** A running mock OP server. */
export interface MockOpServer {
  /** The default base URL (issuers are `<url>/<rp_id>/<test_id>`): the public base, else `<scheme>://<host>:<port>`. */
  readonly url: string;
  /** The port listened on. */
  readonly port: number;
  /** The conformance OP it serves (providers, logs, reset). */
  readonly op: ConformanceOp;
  /** Whether the OP answers requests addressed to `origin` (and serves issuers on it). */
  accepts(origin: string): boolean;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/** A host for a URL: IPv6 addresses in brackets. */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Whether `value` is a `host[:port]` a Host header may carry (no user info, path or spaces). */
function isHostHeader(value: string): boolean {
  return /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(value);
}

/** Starts the conformance OP; resolves once it listens. */
export async function startMockOpServer(options: MockOpServerOptions = {}): Promise<MockOpServer> {
  const host = options.host ?? '127.0.0.1';
  const scheme = options.tls ? 'https' : 'http';
  let op: ConformanceOp | undefined;
  let port = 0;
  const publicBase = options.publicBase === undefined ? undefined : new URL(options.publicBase);

  /** The origins requests may be addressed to: the listening address and its loopback names, any host on a wildcard, the public base. */
  const accepts = (origin: string): boolean => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (publicBase !== undefined && url.origin === publicBase.origin) return true;
    if (url.protocol !== `${scheme}:` || Number(url.port || (scheme === 'https' ? 443 : 80)) !== port) return false;
    if (WILDCARD.has(host)) return true;
    if (url.hostname === host || url.hostname === urlHost(host)) return true;
    return LOOPBACK.has(host) && LOOPBACK.has(url.hostname);
  };
  const defaultOrigin = (): string => publicBase?.origin ?? `${scheme}://${urlHost(WILDCARD.has(host) ? '127.0.0.1' : host)}:${port}`;
  /** The origin a request is addressed to, by its Host header when the OP answers for it. */
  const originOf = (message: IncomingMessage): string => {
    const hostHeader = message.headers.host ?? '';
    if (publicBase !== undefined && hostHeader === publicBase.host) return publicBase.origin;
    const candidate = `${scheme}://${hostHeader}`;
    return isHostHeader(hostHeader) && accepts(candidate) ? new URL(candidate).origin : defaultOrigin();
  };

  let pages: ((request: Request) => Promise<Response | undefined>) | undefined;
  const handle = async (request: Request): Promise<Response | undefined> => {
    if (op === undefined) throw new Error('the OP is not ready');
    return (await op.handle(request)) ?? (await pages?.(request));
  };
  const listener = fetchListener(handle, originOf, { maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES });
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const limits = {
    headersTimeout,
    // The whole request (headers and body) within twice that; answers may take their time (faults).
    requestTimeout: 2 * headersTimeout,
    // How often Node looks for clients over those limits (its default, 30 s, would let them linger).
    connectionsCheckingInterval: Math.min(1000, headersTimeout),
  };
  const server = options.tls ? createHttpsServer({ ...limits, cert: options.tls.cert, key: options.tls.key }, listener) : createHttpServer(limits, listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = defaultOrigin() + (publicBase === undefined ? '' : publicBase.pathname.replace(/\/+$/, ''));
  try {
    op = await createConformanceOp({ ...options.op, base: url, acceptsOrigin: accepts, ...(options.keys === undefined ? {} : { keys: options.keys }) });
    pages = options.pages?.(op);
  } catch (error) {
    server.close();
    throw error;
  }
  return {
    url,
    port,
    op,
    accepts,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

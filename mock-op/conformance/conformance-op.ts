/**
 * The conformance OP: one running mock OP that serves every test of the catalogue at once, each
 * test at its own issuer `<base>/<rp_id>/<test_id>`, with the misbehaviour chosen by the test id in
 * the path and nothing else. Each issuer gets its own {@link Provider} (own clients, session,
 * codes, request log and, after rotation, keys), created on first use with the test's behaviour.
 *
 * WebFinger lives at the host root (`/.well-known/webfinger`) and answers for
 * `acct:<rp_id>.<test_id>@<host>` (split at the last dot: test ids have none) and for
 * `<base>/<rp_id>/<test_id>` URLs (any further path ignored), through that test's provider (so its
 * behaviour applies and its log records the request).
 *
 * Besides the catalogue's tests it serves the fault tests (`FAULT_TESTS`, ids `fault-...`): an OP
 * that never answers, trickles, drops the connection, errs, loops or floods at one endpoint.
 *
 * @module
 */
import type { RequestHandler } from 'msw';
import { mswHandlers } from '../handlers.js';
import type { OpKeys } from '../keys.js';
import { generateOpKeys } from '../keys.js';
import type { StaticClient } from '../provider.js';
import { Provider } from '../provider.js';
import type { LoggedRequest, RequestLog } from '../request-log.js';
import { jsonResponse } from '../responses.js';
import { handleRequest } from '../router.js';
import type { User } from '../users.js';
import { WEBFINGER_PATH } from '../endpoint-paths.js';
import type { ConformanceTest } from './conformance-test.js';
import { findFaultTest } from './fault-catalogue.js';
import { findConformanceTest } from './test-ids.js';

/** Options of {@link createConformanceOp}. */
export interface ConformanceOpOptions {
  /** Scheme, host, port and optional path prefix of every issuer, e.g. `https://localhost:8080`. */
  readonly base: string;
  /**
   * Other origins the OP answers for, with the base's path: the issuer follows the origin the RP
   * used (`http://localhost:8080` beside `http://127.0.0.1:8080`), so that discovery names the
   * issuer the RP asked for. Default: only the base's origin.
   */
  readonly acceptsOrigin?: (origin: string) => boolean;
  /** Called once each request the OP logged has been answered (a console line per request, say). */
  readonly onRequest?: (entry: LoggedRequest, provider: Provider) => void;
  /** The keys every test OP starts with (rotation replaces them per OP). Generated when absent. */
  readonly keys?: OpKeys;
  /** Clients registered up front in every test OP (e.g. a statically configured RP), given the rp_id and test id. */
  readonly clients?: (rpId: string, testId: string) => readonly StaticClient[];
  /** The users of every test OP. */
  readonly users?: readonly User[];
  /** The clock of every test OP (milliseconds since the epoch). */
  readonly clock?: () => number;
  /** Draws the `client_id` of each new client. */
  readonly clientIds?: () => string;
}

/** A running conformance OP. */
export interface ConformanceOp {
  /** The base URL (no trailing slash). */
  readonly base: string;
  /** The keys every test OP starts with. */
  readonly keys: OpKeys;
  /** MSW handlers for the base's origin (`setupServer(...op.handlers)`). */
  readonly handlers: RequestHandler[];
  /**
   * Answers a request (Fetch API); `undefined` when it is not for this OP: another origin, a path
   * outside the base, or an unknown test id.
   */
  handle(request: Request): Promise<Response | undefined>;
  /** The issuer of a test: `<base>/<rpId>/<testId>`, or on another accepted `origin`. */
  issuerFor(rpId: string, testId: string, origin?: string): string;
  /** The catalogue row or fault test (`FAULT_TESTS`) a test id selects (throws for an unknown id). */
  testFor(testId: string): ConformanceTest;
  /**
   * The provider of a test (at the base's origin, or another accepted `origin`), created with the
   * test's behaviour on first use; the same one until `reset`. Throws for an unknown test id.
   */
  opFor(rpId: string, testId: string, origin?: string): Provider;
  /** The request log of a test (creating its provider if needed). */
  requestsFor(rpId: string, testId: string, origin?: string): RequestLog;
  /** The providers created so far, by issuer. */
  readonly providers: ReadonlyMap<string, Provider>;
  /** Forgets every provider (clients, sessions, logs, rotated keys): the next request starts afresh. */
  reset(): void;
}

/** The test served under an id: a catalogue row, else a fault test (`fault-...`). */
function findServedTest(testId: string): ConformanceTest | undefined {
  return findConformanceTest(testId) ?? findFaultTest(testId);
}

/** A path segment usable as an rp_id or test id. */
const SEGMENT = /^[A-Za-z0-9._~+-]+$/;

/** Creates the conformance OP. Generates keys when `options.keys` is absent (slow: share them). */
export async function createConformanceOp(options: ConformanceOpOptions): Promise<ConformanceOp> {
  const keys = options.keys ?? (await generateOpKeys());
  const baseUrl = new URL(options.base);
  const base = baseUrl.href.replace(/\/+$/, '');
  const basePath = baseUrl.pathname.replace(/\/+$/, '');
  const providers = new Map<string, Provider>();

  const testFor = (testId: string): ConformanceTest => {
    const test = findServedTest(testId);
    if (test === undefined) throw new Error(`unknown conformance test id "${testId}"`);
    return test;
  };

  /** The base on another accepted origin (the base itself for its own origin or none). */
  const baseOn = (origin: string | undefined): string => (origin === undefined || origin === baseUrl.origin ? base : `${origin}${basePath}`);
  const accepted = (origin: string): boolean => origin === baseUrl.origin || options.acceptsOrigin?.(origin) === true;

  const opFor = (rpId: string, testId: string, origin?: string): Provider => {
    if (!SEGMENT.test(rpId) || !SEGMENT.test(testId)) throw new Error(`bad rp_id or test id: "${rpId}" / "${testId}"`);
    const issuer = `${baseOn(origin)}/${rpId}/${testId}`;
    const existing = providers.get(issuer);
    if (existing !== undefined) return existing;
    const test = testFor(testId);
    const provider = new Provider({
      issuer,
      keys,
      behaviour: test.behaviour,
      ...(options.users === undefined ? {} : { users: options.users }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.clientIds === undefined ? {} : { clientIds: options.clientIds }),
    });
    for (const client of options.clients?.(rpId, testId) ?? []) provider.registerClient(client, { dynamic: false });
    providers.set(issuer, provider);
    return provider;
  };

  /** The (rpId, testId) a WebFinger resource names, if it is one of this OP's. */
  const webfingerTarget = (resource: string): [string, string] | undefined => {
    if (/^acct:/i.test(resource)) {
      const user = resource.slice(5, resource.lastIndexOf('@'));
      const dot = user.lastIndexOf('.');
      if (dot <= 0 || dot === user.length - 1) return undefined;
      return [user.slice(0, dot), user.slice(dot + 1)];
    }
    let url: URL;
    try {
      url = new URL(resource);
    } catch {
      return undefined;
    }
    if (!url.pathname.startsWith(basePath + '/')) return undefined;
    const [rpId, testId] = url.pathname.slice(basePath.length + 1).split('/');
    return rpId === undefined || testId === undefined || rpId === '' || testId === '' ? undefined : [rpId, testId];
  };

  const logged = (provider: Provider) => (options.onRequest === undefined ? undefined : (entry: LoggedRequest) => options.onRequest!(entry, provider));

  const handle = async (request: Request): Promise<Response | undefined> => {
    const url = new URL(request.url);
    if (!accepted(url.origin)) return undefined;
    if (url.pathname === WEBFINGER_PATH) {
      const resource = url.searchParams.get('resource');
      const target = resource === null ? undefined : webfingerTarget(resource);
      if (target === undefined || !SEGMENT.test(target[0]) || findServedTest(target[1]) === undefined) {
        return jsonResponse({ error: 'not_found', error_description: 'the resource names no test of this OP' }, 404);
      }
      const provider = opFor(target[0], target[1], url.origin);
      return handleRequest(provider, request, { webfinger: true, onLogged: logged(provider) });
    }
    if (!url.pathname.startsWith(basePath + '/')) return undefined;
    const [rpId, testId] = url.pathname.slice(basePath.length + 1).split('/');
    if (rpId === undefined || testId === undefined || !SEGMENT.test(rpId) || !SEGMENT.test(testId)) return undefined;
    if (findServedTest(testId) === undefined) return undefined;
    const provider = opFor(rpId, testId, url.origin);
    return handleRequest(provider, request, { webfinger: false, onLogged: logged(provider) });
  };

  return {
    base,
    keys,
    handlers: mswHandlers(baseUrl.origin, handle),
    handle,
    issuerFor: (rpId, testId, origin) => `${baseOn(origin)}/${rpId}/${testId}`,
    testFor,
    opFor,
    requestsFor: (rpId, testId, origin) => opFor(rpId, testId, origin).requests,
    providers,
    reset: () => providers.clear(),
  };
}

/**
 * The fault tests as data: test ids of the conformance OP (`<base>/<rp_id>/fault-...`) whose OP
 * fails the way networks and servers fail, at discovery or at the token endpoint. They are kept
 * apart from `CONFORMANCE_TESTS` (the tests of the catalogue, which the certification features must
 * cover); the conformance OP serves both lists.
 *
 * @module
 */
import type { ExpectedFailure, FaultEndpoint, FaultTest } from './fault-test.js';
import {
  answersHtml,
  discoveryJson,
  failsWithStatus,
  faultAt,
  neverAnswers,
  oversized,
  redirectLoop,
  resetsConnection,
  trickles,
} from './faults.js';
import { allTestIds } from './test-ids.js';

/** The prefix of every fault test id. */
export const FAULT_PREFIX = 'fault-';

/** Milliseconds between two bytes of a trickled answer: the discovery document (about 2 KB) takes over a minute. */
export const TRICKLE_INTERVAL_MS = 40;

/** The size of an oversized answer: 5 MiB. */
export const OVERSIZED_BYTES = 5 * 1024 * 1024;

/** Where the redirect loop's second hop lives, under the issuer. */
export const REDIRECT_DETOUR_PATH = '/.well-known/openid-configuration-moved';

/** The `Retry-After` of the 503 answers, in seconds. */
export const RETRY_AFTER_SECONDS = 120;

/** A fault row with the fixed fields filled in. */
function fault(test: Pick<FaultTest, 'name' | 'description' | 'behaviour'> & { endpoint: FaultEndpoint; failure: ExpectedFailure }): FaultTest {
  const row: FaultTest = {
    suffix: null,
    legacy: [],
    profiles: ['X'],
    responseTypes: ['code'],
    expected: 'reject',
    skipAllowed: false,
    rpDoes: `fails with a typed error within its timeout and keeps its state`,
    discovery: 'issuer',
    task: 'login',
    proof: [],
    applies: [],
    ...(test.endpoint === 'discovery' ? { rejectedAt: 'discovery' as const } : {}),
    ...test,
  };
  return Object.freeze(row);
}

/** Every fault test. */
export const FAULT_TESTS: readonly FaultTest[] = Object.freeze([
  fault({
    name: 'fault-never-answers',
    endpoint: 'discovery',
    description: 'discovery never answers: the request stays open until the client gives up',
    behaviour: faultAt('discovery', neverAnswers()),
    failure: { error: 'TransportError', check: 'transportTimeout', deadline: true },
  }),
  fault({
    name: 'fault-slow-body',
    endpoint: 'discovery',
    description: `discovery answers 200 at once, then sends the document one byte every ${TRICKLE_INTERVAL_MS} ms (over a minute in all)`,
    behaviour: faultAt('discovery', trickles(discoveryJson, { intervalMs: TRICKLE_INTERVAL_MS })),
    failure: { error: 'TransportError', check: 'transportTimeout', deadline: true },
  }),
  fault({
    name: 'fault-connection-reset',
    endpoint: 'discovery',
    description: 'discovery drops the connection without an answer (a network error in process, a destroyed socket on the server)',
    behaviour: faultAt('discovery', resetsConnection()),
    failure: { error: 'TransportError', check: 'transportNetwork', overSocket: 'transportReset' },
  }),
  fault({
    name: 'fault-server-error',
    endpoint: 'discovery',
    description: 'discovery answers 500 Internal Server Error (text/plain)',
    behaviour: faultAt('discovery', failsWithStatus(500, 'Internal Server Error')),
    failure: { error: 'ResponseError', check: 'checkHttpStatus', status: 500 },
  }),
  fault({
    name: 'fault-unavailable',
    endpoint: 'discovery',
    description: `discovery answers 503 Service Unavailable with Retry-After: ${RETRY_AFTER_SECONDS}`,
    behaviour: faultAt('discovery', failsWithStatus(503, 'Service Unavailable', { 'Retry-After': String(RETRY_AFTER_SECONDS) })),
    failure: { error: 'ResponseError', check: 'checkHttpStatus', status: 503 },
  }),
  fault({
    name: 'fault-redirect-loop',
    endpoint: 'discovery',
    description: `discovery answers 302 to <issuer>${REDIRECT_DETOUR_PATH}, which answers 302 back to discovery`,
    behaviour: redirectLoop('discovery', REDIRECT_DETOUR_PATH),
    failure: { error: 'ResponseError', check: 'checkHttpStatus', status: 302, following: 'transportRedirect' },
  }),
  fault({
    name: 'fault-oversized-body',
    endpoint: 'discovery',
    description: 'discovery answers a valid 5 MiB JSON document (padded), streamed without Content-Length',
    behaviour: faultAt('discovery', oversized({ bytes: OVERSIZED_BYTES, declareLength: false })),
    failure: { error: 'TransportError', check: 'transportSize', sizeLimit: true },
  }),
  fault({
    name: 'fault-oversized-length',
    endpoint: 'discovery',
    description: 'discovery answers a valid 5 MiB JSON document (padded) and declares it in Content-Length',
    behaviour: faultAt('discovery', oversized({ bytes: OVERSIZED_BYTES, declareLength: true })),
    failure: { error: 'TransportError', check: 'transportSize', sizeLimit: true },
  }),
  fault({
    name: 'fault-html',
    endpoint: 'discovery',
    description: 'discovery answers 200 with an HTML maintenance page (text/html) instead of JSON',
    behaviour: faultAt('discovery', answersHtml()),
    failure: { error: 'ResponseError', check: 'checkContentType', contentType: 'text/html' },
  }),
  fault({
    name: 'fault-token-never-answers',
    endpoint: 'token',
    description: 'the token endpoint never answers: the request stays open until the client gives up',
    behaviour: faultAt('token', neverAnswers()),
    failure: { error: 'TransportError', check: 'transportTimeout', deadline: true },
  }),
  fault({
    name: 'fault-token-connection-reset',
    endpoint: 'token',
    description: 'the token endpoint drops the connection without an answer',
    behaviour: faultAt('token', resetsConnection()),
    failure: { error: 'TransportError', check: 'transportNetwork', overSocket: 'transportReset' },
  }),
  fault({
    name: 'fault-token-unavailable',
    endpoint: 'token',
    description: `the token endpoint answers 503 Service Unavailable with Retry-After: ${RETRY_AFTER_SECONDS}`,
    behaviour: faultAt('token', failsWithStatus(503, 'Service Unavailable', { 'Retry-After': String(RETRY_AFTER_SECONDS) })),
    failure: { error: 'ResponseError', check: 'checkHttpStatus', status: 503 },
  }),
]);

/** Builds the id index; throws when a fault id is taken twice or by a catalogue row. */
function buildIndex(tests: readonly FaultTest[]): ReadonlyMap<string, FaultTest> {
  const taken = new Set(allTestIds());
  const index = new Map<string, FaultTest>();
  for (const test of tests) {
    if (!test.name.startsWith(FAULT_PREFIX)) throw new Error(`fault test ${test.name} does not start with ${FAULT_PREFIX}`);
    if (index.has(test.name) || taken.has(test.name)) throw new Error(`fault test id ${test.name} is taken`);
    index.set(test.name, test);
  }
  return index;
}

const INDEX = buildIndex(FAULT_TESTS);

/** The fault test an id selects, or `undefined`. */
export function findFaultTest(testId: string): FaultTest | undefined {
  return INDEX.get(testId);
}

/** Every fault test id, sorted. */
export function faultTestIds(): string[] {
  return [...INDEX.keys()].sort();
}


/**
 * The shape of a fault test: a test id of the conformance OP, like a catalogue row, whose OP fails
 * as networks and servers fail (rather than sending a wrong token) at one endpoint, and the typed
 * error a robust RP reports for it. Fault tests are not tests of the catalogue: they live in their own
 * list (`FAULT_TESTS`), which the certification profiles and their coverage never see.
 *
 * @module
 */
import type { ConformanceTest } from './conformance-test.js';

/** The endpoint a fault strikes. */
export type FaultEndpoint = 'discovery' | 'token';

/** The error class (of the RP library, `src/errors.ts`) a robust RP fails with. */
export type FaultErrorClass = 'TransportError' | 'ResponseError';

/** The check name of that error. */
export type FaultCheck =
  | 'transportTimeout'
  | 'transportSize'
  | 'transportReset'
  | 'transportNetwork'
  | 'transportRedirect'
  | 'checkHttpStatus'
  | 'checkContentType';

/** How a robust RP fails on a fault. */
export interface ExpectedFailure {
  /** The error class. */
  readonly error: FaultErrorClass;
  /**
   * The check, as an RP sees it against the in-process OP (MSW) with its default redirect policy
   * (`manual`: a redirect is handed over as it is).
   */
  readonly check: FaultCheck;
  /**
   * The check over a real socket (the loopback server), where it differs: a reset is a
   * `Response.error()` in process, which fetch reports without an error code
   * (`transportNetwork`), but a destroyed socket over the network (`transportReset`).
   */
  readonly overSocket?: FaultCheck;
  /** The check when the RP follows redirects (a `{ follow: n }` redirect policy), where it differs. */
  readonly following?: FaultCheck;
  /** The HTTP status the RP reports (`checkHttpStatus`). */
  readonly status?: number;
  /** The media type the RP reports (`checkContentType`). */
  readonly contentType?: string;
  /** Whether the RP must have given up at its own deadline (`transportTimeout`). */
  readonly deadline?: boolean;
  /** Whether the RP must have stopped at its own size limit (`transportSize`). */
  readonly sizeLimit?: boolean;
}

/** A fault test: a catalogue-shaped row (profile `X`, expected `reject`) with where it strikes and how the RP fails. */
export interface FaultTest extends ConformanceTest {
  /** The endpoint the fault strikes; the OP behaves everywhere else. */
  readonly endpoint: FaultEndpoint;
  /** How a robust RP fails. */
  readonly failure: ExpectedFailure;
}

/** Whether a test (as `ConformanceOp.testFor` returns it) is a fault test. */
export function isFaultTest(test: ConformanceTest): test is FaultTest {
  return 'failure' in test && 'endpoint' in test;
}

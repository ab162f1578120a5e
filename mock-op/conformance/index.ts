/**
 * The conformance OP's public API: the catalogue, test id resolution, the OP that serves every
 * test, the misbehaviour building blocks, the tamper conventions and the OP-side verdict helpers;
 * and the fault tests (an OP that fails as networks and servers fail) with their building blocks.
 *
 * @module
 */
export { ALL_RESPONSE_TYPES, CONFORMANCE_TESTS } from './catalogue.js';
export type { ConformanceOp, ConformanceOpOptions } from './conformance-op.js';
export { createConformanceOp } from './conformance-op.js';
export type {
  CheckName,
  ConformanceBehaviour,
  ConformanceTest,
  Expected,
  Profile,
  RejectionPoint,
  ResponseType,
} from './conformance-test.js';
export { PROFILES } from './conformance-test.js';
export * as misbehaviours from './misbehaviours.js';
export * as faults from './faults.js';
export type { FaultAnswer, FaultBody, OversizedOptions, TrickleOptions } from './faults.js';
export type { ExpectedFailure, FaultCheck, FaultEndpoint, FaultErrorClass, FaultTest } from './fault-test.js';
export { isFaultTest } from './fault-test.js';
export {
  FAULT_PREFIX,
  FAULT_TESTS,
  OVERSIZED_BYTES,
  REDIRECT_DETOUR_PATH,
  RETRY_AFTER_SECONDS,
  TRICKLE_INTERVAL_MS,
  faultTestIds,
  findFaultTest,
} from './fault-catalogue.js';
export { appendINVALID, appendInvalid, appendOne, corruptSignature } from './tamper.js';
export { CONFORMANCE_PREFIX, allTestIds, findConformanceTest, suiteId, testIds, testsForProfile } from './test-ids.js';
export type { LogPoint, RequestsAfterOptions } from './verdict.js';
export {
  backchannelAnsweredAsExpected,
  carriedOn,
  expectedBackchannelStatus,
  isRefreshRequest,
  requestsAfter,
  stopPoint,
} from './verdict.js';

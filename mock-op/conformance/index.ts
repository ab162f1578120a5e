/**
 * The conformance OP's public API: the catalogue, test id resolution, the OP that serves every
 * test, the misbehaviour building blocks, the tamper conventions and the OP-side verdict helpers.
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

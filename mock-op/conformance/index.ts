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
  Discovery,
  Expected,
  Profile,
  RejectionPoint,
  ResponseType,
  Task,
} from './conformance-test.js';
export * as conditions from './conditions.js';
export type { Condition } from './conditions.js';
export type { Evidence, RpOutcome } from './evidence.js';
export { describeRequest, parametersOf } from './evidence.js';
export type { Plan, PlanOptions } from './plans.js';
export { PROFILE_NAMES, plans, profileNamed, responseTypesOf } from './plans.js';
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
export { CONFORMANCE_PREFIX, allTestIds, displayId, findConformanceTest, suiteId, testIds, testsForProfile } from './test-ids.js';
export type { RunInfo, TestResult } from './results.js';
export { junitName, profileTable, runPassed, totals, verdictLine, writeJunit, writeSummary } from './results.js';
export type { Judgement, LogPoint, RequestsAfterOptions, VerdictName } from './verdict.js';
export {
  backchannelAnsweredAsExpected,
  badThing,
  carriedOn,
  delivered,
  expectedBackchannelStatus,
  isRefreshRequest,
  judge,
  requestsAfter,
  stopPoint,
} from './verdict.js';

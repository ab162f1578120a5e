/**
 * A certification scenario's one verdict, made once per scenario (`judge` of the mock OP's
 * conformance module), and what the report shows of it when the scenario's steps end: the verdict
 * as the verdict formatter will report it, the facts for the page, and the failure of a scenario
 * whose steps passed and whose verdict did not. The After hook in verdict-hook.ts records it.
 *
 * @module
 */
import { AssertionError } from 'node:assert';
import type { ITestCaseHookParameter } from '@cucumber/cucumber';
import { displayId, isFaultTest, judge, PROFILE_NAMES, type ConformanceTest, type Judgement } from '../../mock-op/index.js';
import type { VerdictFacts } from '../../report/verdict-description.js';
import type { HarnessWorld } from './world.js';

/** A scenario as Cucumber compiled it. */
export type Pickle = ITestCaseHookParameter['pickle'];

/** The RP a certification scenario certifies. */
export const BUILT_IN = 'built-in service layer';

/** Each scenario's judgement, made once (at the end of its steps, or in its After hook). */
const judgements = new WeakMap<HarnessWorld, Judgement>();
/** The scenarios that their verdict has already failed, at the end of their steps. */
const failedByVerdict = new WeakSet<HarnessWorld>();

/** Whether the scenario's verdict already failed it at the end of its steps (see {@link concludeVerdict}). */
export function failedForItsVerdict(world: HarnessWorld): boolean {
  return failedByVerdict.has(world);
}

/** The profile a scenario's run belongs to: the plan of the run (`form-post`), else the feature's `@profile:` tag. */
export function profileOf(world: HarnessWorld, pickle: Pickle): string {
  const tags = pickle.tags.map((t) => t.name.slice(1));
  return world.plan ?? tags.find((t) => t.startsWith('profile:'))?.slice('profile:'.length) ?? 'unknown';
}

/**
 * Whether a scenario runs a test of the catalogue: a scenario of a profile of this project's own
 * (`security`: attacks no certification suite tests) runs on the catalogue's OP, but its steps are
 * its verdict.
 */
export function runsCatalogueTest(world: HarnessWorld, pickle: Pickle): boolean {
  return (Object.values(PROFILE_NAMES) as string[]).includes(profileOf(world, pickle));
}

/** What a scenario of a profile of this project's own is, in the words of a test: its name, and what its RP did. */
export function ownScenario(world: HarnessWorld, pickle: Pickle): { test: string; expected: ConformanceTest['expected'] } {
  return { test: `${profileOf(world, pickle)}: ${pickle.name}`, expected: world.cert?.outcome().check ? 'reject' : 'accept' };
}

/** The one verdict of a certification scenario, made once; `undefined` for a scenario that runs no certification test. */
export function scenarioJudgement(world: HarnessWorld, pickle: Pickle): Judgement | undefined {
  const cert = world.cert;
  // Fault tests (a sick server) are no certification tests: their steps assert the typed error.
  if (!cert?.target.test || isFaultTest(cert.target.test)) return undefined;
  let judgement = judgements.get(world);
  if (judgement === undefined) {
    const check = cert.outcome().check;
    // The one verdict that also judges RPs nobody here wrote; the scenario's steps add the sharper
    // assertion of the named check, and the formatter combines both. A scenario of the project's
    // own profile is judged by its steps alone (which the formatter combines with this).
    judgement = runsCatalogueTest(world, pickle)
      ? judge(cert.test, cert.evidence())
      : { verdict: 'passed', reason: check ? `the RP refused at ${check}, and the OP saw what the scenario demands` : 'the RP did what the scenario demands' };
    judgements.set(world, judgement);
  }
  return judgement;
}

/** The first line of a failed step's message, or what happened. */
function firstLine(message: string | undefined, fallback: string): string {
  return message?.split('\n').find((line) => line.trim() !== '')?.trim() ?? fallback;
}

/**
 * The verdict the verdict formatter will report: the judge's combined with how the steps went
 * (as `combine` in steps/formatters/verdict-formatter.ts does), for the report to say the same.
 */
function asReported(status: string, message: string | undefined, judgement: Judgement): Judgement {
  if (status === 'PASSED') return judgement;
  if (judgement.verdict === 'failed' || judgement.verdict === 'inconclusive') return judgement;
  if (status === 'SKIPPED' || status === 'PENDING') {
    return { verdict: 'skipped', reason: judgement.verdict === 'skipped' ? judgement.reason : firstLine(message, 'a step was skipped') };
  }
  return { verdict: 'failed', reason: `a step failed: ${firstLine(message, status.toLowerCase())}` };
}

/** A certification scenario concluded at the end of its steps. */
export interface ConcludedVerdict {
  /** What the report shows of it (the verdict first). */
  readonly facts: VerdictFacts;
  /** The error that fails the scenario, when its steps passed and its verdict did not. */
  readonly failure?: Error;
}

/**
 * Concludes a certification scenario once its steps have ended (the last one passed, or one did
 * not): its verdict as the formatter will report it and the facts the report shows. When the steps
 * passed and the verdict failed (or is inconclusive), it also gives the error that fails the
 * scenario there, in its last step: Allure takes a test's status from its steps only, and would
 * show a scenario failed by the After hook below as passed. The verdict lines, summary.json and
 * JUnit are the same either way. `undefined` for a scenario that runs no certification test.
 */
export function concludeVerdict(world: HarnessWorld, pickle: Pickle, step: { status: string; message?: string | undefined }): ConcludedVerdict | undefined {
  const judgement = scenarioJudgement(world, pickle);
  const cert = world.cert;
  if (judgement === undefined || cert === undefined) return undefined;
  const catalogue = runsCatalogueTest(world, pickle);
  const reported = asReported(step.status, step.message, judgement);
  const { outcome, check } = cert.outcome();
  const error = cert.rejection?.error;
  // The registry of checks gives an OidcError the clause it enforces (where it has one).
  const clause = (error as { clause?: string } | undefined)?.clause;
  const facts: VerdictFacts = {
    verdict: reported.verdict,
    reason: reported.reason,
    test: catalogue ? displayId(cert.test) : ownScenario(world, pickle).test,
    legacy: catalogue ? cert.test.legacy : [],
    profile: profileOf(world, pickle),
    responseType: cert.settings.responseType,
    responseMode: cert.settings.responseMode ?? null,
    expected: catalogue ? cert.test.expected : ownScenario(world, pickle).expected,
    outcome: outcome === 'rejected' ? 'refused' : outcome === 'accepted' ? 'accepted' : null,
    testCheck: cert.test.check,
    refusedAt: check ?? null,
    clause: typeof clause === 'string' ? clause : undefined,
    rpSays: error?.message,
    opDoes: cert.test.description,
    rpDoes: cert.test.rpDoes,
    configure: cert.test.configure,
    issuer: cert.issuer,
  };
  if (step.status !== 'PASSED' || (judgement.verdict !== 'failed' && judgement.verdict !== 'inconclusive')) return { facts };
  failedByVerdict.add(world);
  const message = `the verdict is ${judgement.verdict}: ${judgement.reason}`;
  // A failed verdict is a failed assertion about the RP; an inconclusive one says the test never
  // happened (broken). Where in the harness the verdict was made is of no use to a reader: no stack.
  const failure = judgement.verdict === 'failed' ? new AssertionError({ message }) : new Error(message);
  failure.stack = `${failure.name}: ${message}`;
  return { facts, failure };
}


/**
 * The certification verdicts of a Cucumber run: a line per scenario as it finishes, and at the end
 * a table per profile, reports/summary.json and reports/junit.xml (through the same reporting as
 * `certify-rp`, `mock-op/conformance/results.ts`).
 *
 * A scenario's verdict combines the one verdict (`judge`, attached by the scenario's After hook)
 * with how its steps went: a failed step fails it with the step's message, a skipped one skips it.
 * Runs made of several passes (the Form Post plan reruns Basic, Implicit and Hybrid) ask for the
 * report to be deferred (`deferReport`) and write it once, from {@link collectedResults}.
 *
 * @module
 */
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type * as messages from '@cucumber/messages';
import type { Judgement, TestResult } from '../../mock-op/index.js';
import { profileTable, verdictLine, writeJunit, writeSummary } from '../../mock-op/index.js';

/** The media type of the verdict attachment that the scenario's After hook writes. */
export const VERDICT_MEDIA_TYPE = 'application/vnd.oidc-harness.verdict+json';

/** What the After hook attaches: the result without the parts only the formatter knows, and the judge's verdict. */
export type ScenarioVerdict = Omit<TestResult, 'verdict' | 'reason' | 'ms'> & { judgement: Judgement };

/** A result and the scenario it came from. */
export interface CollectedResult {
  /** The scenario, as Cucumber selects it: `features/....feature:LINE` (an outline's example row's line). */
  readonly scenario: string;
  readonly result: TestResult;
}

/** Every result of this process's runs, oldest first (several passes add to it). */
const collected: CollectedResult[] = [];

/** The results collected so far in this process (the certify command reads them after its passes). */
export function collectedResults(): readonly TestResult[] {
  return collected.map((c) => c.result);
}

/** The results collected so far in this process, each with its scenario (certify's workers report them so). */
export function collectedScenarioResults(): readonly CollectedResult[] {
  return collected;
}

/** The line Cucumber gives a pickle: its example row's for an outline, else its scenario's. */
export function pickleLine(document: messages.GherkinDocument | undefined, pickle: messages.Pickle): number | undefined {
  const last = pickle.astNodeIds[pickle.astNodeIds.length - 1];
  const scenarios = (children: ReadonlyArray<messages.FeatureChild | messages.RuleChild>): messages.Scenario[] =>
    children.flatMap((child) => (child.scenario ? [child.scenario] : 'rule' in child && child.rule ? scenarios(child.rule.children) : []));
  for (const scenario of scenarios(document?.feature?.children ?? [])) {
    if (scenario.id === last) return scenario.location.line;
    for (const examples of scenario.examples) {
      const row = examples.tableBody.find((r) => r.id === last);
      if (row) return row.location.line;
    }
  }
  return undefined;
}

/** Forgets the collected results (before a new run in the same process). */
export function clearCollectedResults(): void {
  collected.length = 0;
}

/** A protobuf timestamp in milliseconds. */
const millis = (t: { seconds: number; nanos: number }): number => t.seconds * 1000 + Math.round(t.nanos / 1e6);

/** The first line of a failed step's message, or what happened. */
function firstLine(message: string | undefined, fallback: string): string {
  return message?.split('\n').find((line) => line.trim() !== '')?.trim() ?? fallback;
}

/** Cucumber's verdict and the judge's, combined into the scenario's. */
function combine(status: string, message: string | undefined, judgement: Judgement): Pick<TestResult, 'verdict' | 'reason'> {
  if (status === 'PASSED') return judgement;
  // The verdict hook failed the scenario for the judge's verdict: keep the judge's words.
  if (judgement.verdict === 'failed' || judgement.verdict === 'inconclusive') return judgement;
  if (status === 'SKIPPED' || status === 'PENDING') {
    return { verdict: 'skipped', reason: judgement.verdict === 'skipped' ? judgement.reason : firstLine(message, 'a step was skipped') };
  }
  return { verdict: 'failed', reason: `a step failed: ${firstLine(message, status.toLowerCase())}` };
}

/** Options this formatter reads from `formatOptions`. */
interface VerdictFormatOptions {
  summaryPath?: string;
  junitPath?: string;
  op?: string;
  announce?: boolean;
  deferReport?: boolean;
}

/** The Cucumber formatter of certification verdicts. */
export default class VerdictFormatter extends Formatter {
  static override readonly documentation = 'Certification verdicts per scenario and per profile, reports/summary.json and reports/junit.xml';

  constructor(options: IFormatterOptions) {
    super(options);
    const settings = options.parsedArgvOptions as VerdictFormatOptions;
    const summaryPath = settings.summaryPath ?? 'reports/summary.json';
    const junitPath = settings.junitPath ?? 'reports/junit.xml';
    const op = settings.op ?? 'mock-op (in-process, MSW)';
    // On long runs (a real browser), say which scenario is running before it finishes.
    const announce = settings.announce === true;
    const verdicts = new Map<string, ScenarioVerdict>();
    const started = new Map<string, { name: string; started: number }>();
    const names = new Map<string, string>();
    const results: TestResult[] = [];
    let runStarted = new Date();

    options.eventBroadcaster.on('envelope', (envelope) => {
      if (envelope.testRunStarted) runStarted = new Date(millis(envelope.testRunStarted.timestamp));
      if (envelope.testCase) names.set(envelope.testCase.id, this.eventDataCollector.getPickle(envelope.testCase.pickleId)?.name ?? '');
      if (envelope.testCaseStarted) {
        const name = names.get(envelope.testCaseStarted.testCaseId) ?? '';
        started.set(envelope.testCaseStarted.id, { name, started: millis(envelope.testCaseStarted.timestamp) });
        if (announce) this.log(`RUNNING ${name}\n`);
      }
      const attachment = envelope.attachment;
      if (attachment?.mediaType === VERDICT_MEDIA_TYPE && attachment.testCaseStartedId) {
        const body = attachment.contentEncoding === 'BASE64' ? Buffer.from(attachment.body, 'base64').toString('utf8') : attachment.body;
        verdicts.set(attachment.testCaseStartedId, JSON.parse(body) as ScenarioVerdict);
      }
      if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
        const id = envelope.testCaseFinished.testCaseStartedId;
        const attempt = this.eventDataCollector.getTestCaseAttempt(id);
        const status = String(attempt.worstTestStepResult.status);
        const begun = started.get(id);
        const ms = begun ? millis(envelope.testCaseFinished.timestamp) - begun.started : null;
        const verdict = verdicts.get(id);
        if (!verdict) {
          // Not a certification scenario: on announced runs, say how it ended.
          if (announce) this.log(`${status.padEnd(7)} ${begun?.name ?? ''} (${ms ?? '?'} ms)\n`);
          return;
        }
        const { judgement, ...rest } = verdict;
        const result: TestResult = { ...rest, ...combine(status, attempt.worstTestStepResult.message, judgement), ms };
        results.push(result);
        collected.push({ scenario: `${attempt.pickle.uri}:${pickleLine(attempt.gherkinDocument, attempt.pickle) ?? 0}`, result });
        this.log(`${verdictLine(result)}\n`);
      }
      if (envelope.testRunFinished && settings.deferReport !== true) {
        this.log(profileTable(results));
        const finished = new Date(millis(envelope.testRunFinished.timestamp)).toISOString();
        writeSummary(summaryPath, { started: runStarted.toISOString(), finished, node: process.version, op, rp: 'built-in service layer' }, results);
        writeJunit(junitPath, 'oidc-harness certify', results);
      }
    });
  }
}

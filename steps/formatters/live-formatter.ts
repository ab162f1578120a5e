/**
 * The live run's console and files: a line per scenario as it starts and as it ends (with the
 * reason of a failure or a skip), then the verdict table, the totals, each failure's and skip's
 * reason and the interop findings; summary.json with the results under the provider's name; a
 * JUnit file whose skipped test cases say why; the findings as one global Allure attachment.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type { Finding } from '../../src/index.js';
import { markSkippedInAllure } from '../support/targets/allure-skips.js';
import { FINDINGS_ATTACHMENT, writeFindingsAttachment } from '../support/targets/interop-findings.js';
import { closingText, junitOf, PROBE_ATTACHMENT_PREFIX, runFindings, summaryOf, verdictLine, type LiveResult, type LiveRun } from '../support/targets/live-report.js';
import { SKIP_REASON_ATTACHMENT } from '../support/targets/skip-reason.js';

/** A protobuf timestamp in milliseconds. */
const millis = (t: { seconds: number; nanos: number }): number => t.seconds * 1000 + Math.round(t.nanos / 1e6);

/** Cucumber's step statuses as verdicts. */
const STATUS: Record<string, LiveResult['verdict']> = { PASSED: 'passed', SKIPPED: 'skipped', PENDING: 'skipped', UNDEFINED: 'failed', AMBIGUOUS: 'failed', FAILED: 'failed', UNKNOWN: 'failed' };

/** An attachment's body as text. */
const decode = (body: string, encoding: string | undefined): string => (encoding === 'BASE64' ? Buffer.from(body, 'base64').toString('utf8') : body);

/** The first line of a message, without Node's assertion noise. */
function oneLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean)[0]?.replace(/^AssertionError( \[[A-Z_]+\])?: /, '') ?? '';
}

/** Options this formatter reads from `formatOptions`. */
interface LiveFormatOptions {
  provider?: string;
  summaryPath?: string;
  junitPath?: string;
  resultsDir?: string;
}

/** The Cucumber formatter of a live run. */
export default class LiveFormatter extends Formatter {
  static override readonly documentation = 'A live run: verdicts with reasons, totals, interop findings; summary.json and junit.xml';

  /** The findings attachment and the skipped results being written at the end of the run. */
  #writing: Promise<void> = Promise.resolve();

  /** Waits for the findings attachment before Cucumber ends the run. */
  override async finished(): Promise<void> {
    await this.#writing;
    await super.finished();
  }

  constructor(options: IFormatterOptions) {
    super(options);
    const settings = (options.parsedArgvOptions ?? {}) as LiveFormatOptions;
    const provider = String(settings.provider ?? 'live provider');
    const running = new Map<string, { name: string; uri: string; tags: string[]; started: number }>();
    const cases = new Map<string, { name: string; uri: string; tags: string[] }>();
    const notes = new Map<string, { skip?: string; findings: Finding[]; probe?: { observed: string; clause: string } }>();
    const results: LiveResult[] = [];
    let started = new Date();

    options.eventBroadcaster.on('envelope', (envelope) => {
      if (envelope.testRunStarted) started = new Date(millis(envelope.testRunStarted.timestamp));
      if (envelope.testCase) {
        const pickle = this.eventDataCollector.getPickle(envelope.testCase.pickleId);
        cases.set(envelope.testCase.id, { name: pickle?.name ?? '', uri: pickle?.uri ?? '', tags: (pickle?.tags ?? []).map((t) => t.name) });
      }
      if (envelope.testCaseStarted) {
        const known = cases.get(envelope.testCaseStarted.testCaseId) ?? { name: '', uri: '', tags: [] };
        running.set(envelope.testCaseStarted.id, { ...known, started: millis(envelope.testCaseStarted.timestamp) });
        notes.set(envelope.testCaseStarted.id, { findings: [] });
        this.log(`RUNNING ${known.name}\n`);
      }
      const attachment = envelope.attachment;
      if (attachment?.testCaseStartedId) {
        const note = notes.get(attachment.testCaseStartedId);
        const name = attachment.fileName ?? '';
        const text = (): string => decode(attachment.body, attachment.contentEncoding);
        if (note && name === SKIP_REASON_ATTACHMENT) note.skip = text();
        if (note && name === FINDINGS_ATTACHMENT) note.findings.push(...(JSON.parse(text()) as Finding[]));
        if (note && name.startsWith(PROBE_ATTACHMENT_PREFIX)) note.probe = JSON.parse(text()) as { observed: string; clause: string };
      }
      if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
        const id = envelope.testCaseFinished.testCaseStartedId;
        const worst = this.eventDataCollector.getTestCaseAttempt(id).worstTestStepResult;
        const verdict = STATUS[String(worst.status)] ?? 'failed';
        const begun = running.get(id) ?? { name: '', uri: '', tags: [], started: millis(envelope.testCaseFinished.timestamp) };
        const note = notes.get(id) ?? { findings: [] };
        const failure = worst.exception?.message ?? worst.message?.split('\n')[0];
        const reason =
          verdict === 'failed' ? oneLine(failure ?? `a step is ${String(worst.status).toLowerCase()}`) : verdict === 'skipped' ? (note.skip ?? 'a step was skipped without a reason') : undefined;
        const probeTag = begun.tags.find((t) => t.startsWith('@probe:'));
        const result: LiveResult = {
          name: begun.name,
          uri: begun.uri,
          kind: begun.tags.includes('@probes') ? 'probe' : 'scenario',
          ...(probeTag ? { probe: probeTag.slice('@probe:'.length) } : {}),
          verdict,
          ...(reason === undefined ? {} : { reason }),
          ...(note.probe ? { observed: note.probe.observed, clause: note.probe.clause } : {}),
          ms: millis(envelope.testCaseFinished.timestamp) - begun.started,
          findings: note.findings,
        };
        results.push(result);
        this.log(`${verdictLine(result)}\n`);
      }
      if (envelope.testRunFinished) {
        const run: LiveRun = { provider, started: started.toISOString(), finished: new Date(millis(envelope.testRunFinished.timestamp)).toISOString(), results };
        this.log(closingText(run));
        for (const [path, text] of [[settings.summaryPath, `${JSON.stringify(summaryOf(run), null, 2)}\n`], [settings.junitPath, junitOf(run)]] as const) {
          if (typeof path !== 'string') continue;
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, text);
        }
        if (typeof settings.resultsDir === 'string') {
          const dir = settings.resultsDir;
          const skipped = results.filter((r) => r.verdict === 'skipped').map((r) => ({ uri: r.uri ?? '', name: r.name, reason: r.reason ?? '' }));
          this.#writing = Promise.all([writeFindingsAttachment(dir, runFindings(run)), markSkippedInAllure(dir, skipped)]).then(() => undefined);
        }
      }
    });
  }
}

// The live run's console and files: a line per scenario as it starts and as it ends (with the
// reason of a failure or a skip), then the verdict table, the totals, each failure's and skip's
// reason and the interop findings; summary.json with the results under the provider's name; a
// JUnit file whose skipped test cases say why; the findings as one global Allure attachment.
// Plain JavaScript, because Cucumber loads formatters before the support code that registers tsx;
// the report itself is TypeScript, imported with tsx's tsImport (no global loader).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Formatter } from '@cucumber/cucumber';
import { tsImport } from 'tsx/esm/api';

const report = await tsImport('../support/targets/live-report.ts', import.meta.url);
const findingsModule = await tsImport('../support/targets/interop-findings.ts', import.meta.url);
const skipModule = await tsImport('../support/targets/skip-reason.ts', import.meta.url);
const allureSkips = await tsImport('../support/targets/allure-skips.ts', import.meta.url);

/** @param {{seconds: number, nanos: number}} t */
const millis = (t) => t.seconds * 1000 + Math.round(t.nanos / 1e6);

const STATUS = { PASSED: 'passed', SKIPPED: 'skipped', PENDING: 'skipped', UNDEFINED: 'failed', AMBIGUOUS: 'failed', FAILED: 'failed', UNKNOWN: 'failed' };

/** @param {string} body @param {string | undefined} encoding */
const decode = (body, encoding) => (encoding === 'BASE64' ? Buffer.from(body, 'base64').toString('utf8') : body);

export default class LiveFormatter extends Formatter {
  static documentation = 'A live run: verdicts with reasons, totals, interop findings; summary.json and junit.xml';

  /** The findings attachment and the skipped results being written at the end of the run. */
  #writing = Promise.resolve();

  /** Waits for the findings attachment before Cucumber ends the run. */
  async finished() {
    await this.#writing;
    await super.finished();
  }

  /** @param {import('@cucumber/cucumber').IFormatterOptions} options */
  constructor(options) {
    super(options);
    const settings = options.parsedArgvOptions ?? {};
    const provider = String(settings.provider ?? 'live provider');
    /** @type {Map<string, {name: string, uri: string, tags: string[], started: number}>} */
    const running = new Map();
    /** @type {Map<string, {name: string, uri: string, tags: string[]}>} */
    const cases = new Map();
    /** @type {Map<string, {skip?: string, findings: unknown[], probe?: {observed: string, clause: string}}>} */
    const notes = new Map();
    /** @type {Array<Record<string, unknown>>} */
    const results = [];
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
        if (note && name === skipModule.SKIP_REASON_ATTACHMENT) note.skip = decode(attachment.body, attachment.contentEncoding);
        if (note && name === findingsModule.FINDINGS_ATTACHMENT) note.findings.push(...JSON.parse(decode(attachment.body, attachment.contentEncoding)));
        if (note && name.startsWith(report.PROBE_ATTACHMENT_PREFIX)) note.probe = JSON.parse(decode(attachment.body, attachment.contentEncoding));
      }
      if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
        const id = envelope.testCaseFinished.testCaseStartedId;
        const attempt = this.eventDataCollector.getTestCaseAttempt(id);
        const worst = attempt.worstTestStepResult;
        const verdict = STATUS[worst.status] ?? 'failed';
        const begun = running.get(id) ?? { name: '', uri: '', tags: [], started: millis(envelope.testCaseFinished.timestamp) };
        const note = notes.get(id) ?? { findings: [] };
        const failure = worst.exception?.message ?? worst.message?.split('\n')[0];
        const reason = verdict === 'failed' ? oneLine(failure ?? `a step is ${String(worst.status).toLowerCase()}`)
          : verdict === 'skipped' ? (note.skip ?? 'a step was skipped without a reason') : undefined;
        const probeTag = begun.tags.find((t) => t.startsWith('@probe:'));
        const result = {
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
        this.log(`${report.verdictLine(result)}\n`);
      }
      if (envelope.testRunFinished) {
        const run = { provider, started: started.toISOString(), finished: new Date(millis(envelope.testRunFinished.timestamp)).toISOString(), results };
        this.log(report.closingText(run));
        for (const [setting, text] of [['summaryPath', `${JSON.stringify(report.summaryOf(run), null, 2)}\n`], ['junitPath', report.junitOf(run)]]) {
          const path = settings[setting];
          if (typeof path !== 'string') continue;
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, text);
        }
        if (typeof settings.resultsDir === 'string') {
          const dir = settings.resultsDir;
          const skipped = results.filter((r) => r.verdict === 'skipped').map((r) => ({ uri: r.uri, name: r.name, reason: r.reason ?? '' }));
          this.#writing = Promise.all([findingsModule.writeFindingsAttachment(dir, report.runFindings(run)), allureSkips.markSkippedInAllure(dir, skipped)]).then(() => undefined);
        }
      }
    });
  }
}

/** The first line of a message, without Node's assertion noise. */
function oneLine(text) {
  return String(text).split('\n').map((l) => l.trim()).filter(Boolean)[0]?.replace(/^AssertionError( \[[A-Z_]+\])?: /, '') ?? '';
}

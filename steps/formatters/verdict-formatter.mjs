// The certification verdicts: a line per scenario as it finishes, a table per profile at the end,
// and reports/summary.json. Plain JavaScript, because Cucumber loads formatters before the support
// code that registers tsx.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Formatter } from '@cucumber/cucumber';

/** The media type of the verdict attachment that the scenario's After hook writes. */
export const VERDICT_MEDIA_TYPE = 'application/vnd.oidc-harness.verdict+json';

const STATUS = { PASSED: 'passed', SKIPPED: 'skipped', PENDING: 'skipped' };

/** @param {{seconds: number, nanos: number}} t */
const millis = (t) => t.seconds * 1000 + Math.round(t.nanos / 1e6);

export default class VerdictFormatter extends Formatter {
  static documentation = 'Certification verdicts per scenario and per profile, and reports/summary.json';

  /** @param {import('@cucumber/cucumber').IFormatterOptions} options */
  constructor(options) {
    super(options);
    const summaryPath = options.parsedArgvOptions?.summaryPath ?? 'reports/summary.json';
    const opName = options.parsedArgvOptions?.op ?? 'mock-op (in-process, MSW)';
    // On long runs (a real browser), say which scenario is running before it finishes.
    const announce = options.parsedArgvOptions?.announce === true;
    /** @type {Map<string, Record<string, unknown>>} verdict attachments by test case started id */
    const verdicts = new Map();
    /** @type {Map<string, {name: string, started: number}>} */
    const started = new Map();
    /** @type {Map<string, string>} pickle names by test case id */
    const names = new Map();
    /** @type {Array<Record<string, unknown>>} */
    const results = [];
    let runStarted = new Date();

    options.eventBroadcaster.on('envelope', (envelope) => {
      if (envelope.testRunStarted) runStarted = new Date(millis(envelope.testRunStarted.timestamp));
      if (envelope.testCase) {
        const pickle = this.eventDataCollector.getPickle(envelope.testCase.pickleId);
        names.set(envelope.testCase.id, pickle?.name ?? '');
      }
      if (envelope.testCaseStarted) {
        const name = names.get(envelope.testCaseStarted.testCaseId) ?? '';
        started.set(envelope.testCaseStarted.id, { name, started: millis(envelope.testCaseStarted.timestamp) });
        if (announce) this.log(`RUNNING ${name}\n`);
      }
      if (envelope.attachment?.mediaType === VERDICT_MEDIA_TYPE && envelope.attachment.testCaseStartedId) {
        const body = envelope.attachment.contentEncoding === 'BASE64' ? Buffer.from(envelope.attachment.body, 'base64').toString('utf8') : envelope.attachment.body;
        verdicts.set(envelope.attachment.testCaseStartedId, JSON.parse(body));
      }
      if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
        const id = envelope.testCaseFinished.testCaseStartedId;
        const attempt = this.eventDataCollector.getTestCaseAttempt(id);
        const status = STATUS[attempt.worstTestStepResult.status] ?? 'failed';
        const begun = started.get(id);
        const verdict = verdicts.get(id);
        if (!verdict) {
          // Not a certification scenario: on announced runs, say how it ended.
          if (announce) this.log(`${status.toUpperCase().padEnd(7)} ${begun?.name ?? ''} (${begun ? millis(envelope.testCaseFinished.timestamp) - begun.started : '?'} ms)\n`);
          return;
        }
        const entry = { ...verdict, verdict: status, ms: begun ? millis(envelope.testCaseFinished.timestamp) - begun.started : null };
        results.push(entry);
        const mode = entry.responseMode ? ` ${entry.responseMode}` : '';
        const outcome = entry.outcome === 'rejected' ? `rejected at ${entry.check}` : entry.outcome;
        this.log(`${status.toUpperCase().padEnd(7)} ${String(entry.profile).padEnd(20)} ${String(entry.test).padEnd(52)} ${String(entry.responseType ?? '')}${mode}: ${outcome} (expected ${entry.expected})\n`);
      }
      if (envelope.testRunFinished) {
        const byProfile = new Map();
        for (const r of results) {
          const row = byProfile.get(r.profile) ?? { passed: 0, failed: 0, skipped: 0 };
          row[r.verdict] += 1;
          byProfile.set(r.profile, row);
        }
        if (results.length > 0) {
          this.log(`\n${'profile'.padEnd(22)}${'passed'.padStart(8)}${'failed'.padStart(8)}${'skipped'.padStart(9)}\n`);
          for (const [profile, row] of [...byProfile].sort()) {
            this.log(`${String(profile).padEnd(22)}${String(row.passed).padStart(8)}${String(row.failed).padStart(8)}${String(row.skipped).padStart(9)}\n`);
          }
          const count = (v) => results.filter((r) => r.verdict === v).length;
          this.log(`\n${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped\n`);
        }
        const summary = {
          run: { started: runStarted.toISOString(), finished: new Date(millis(envelope.testRunFinished.timestamp)).toISOString(), node: process.version, op: opName },
          results,
        };
        mkdirSync(dirname(summaryPath), { recursive: true });
        writeFileSync(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
      }
    });
  }
}

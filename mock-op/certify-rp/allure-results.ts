/**
 * Allure results of a certify-rp run, readable by Allure 3 and allure-commandline alike: a test
 * result per test (named by its id and response type), in a suite per profile under the RP's name,
 * with the verdict and its reason as its status, and as evidence the OP's request log for the test,
 * the RP's output and the screenshots of the pages the browser ended on (all redacted before).
 *
 * @module
 */
import type { TestResult } from '../conformance/results.js';
import { junitName } from '../conformance/results.js';
import type { TestDetail } from './run.js';

/** Writes one Allure result per test as the run goes; `close` writes the categories. */
export class AllureResults {
  readonly #resultsDir: string;
  #runtime: import('allure-js-commons/sdk/reporter').ReporterRuntime | undefined;
  #status: typeof import('allure-js-commons').Status | undefined;

  constructor(resultsDir: string) {
    this.#resultsDir = resultsDir;
  }

  async #open(): Promise<void> {
    if (this.#runtime !== undefined) return;
    const { ReporterRuntime, FileSystemWriter } = await import('allure-js-commons/sdk/reporter');
    const { Status } = await import('allure-js-commons');
    this.#status = Status;
    this.#runtime = new ReporterRuntime({
      writer: new FileSystemWriter({ resultsDir: this.#resultsDir }),
      categories: [
        { name: 'Failed verdicts', matchedStatuses: [Status.FAILED] },
        { name: 'Inconclusive: the RP never met the test', matchedStatuses: [Status.BROKEN] },
      ],
    });
  }

  /** Writes the result of one test with its evidence. */
  async write(result: TestResult, detail: TestDetail): Promise<void> {
    await this.#open();
    const runtime = this.#runtime!;
    const Status = this.#status!;
    const status = { passed: Status.PASSED, failed: Status.FAILED, skipped: Status.SKIPPED, inconclusive: Status.BROKEN }[result.verdict];
    const stop = Date.now();
    const uuid = runtime.startTest({
      name: junitName(result),
      fullName: `${result.rp}: ${result.profile}: ${junitName(result)}`,
      description: `${detail.test.description}\n\nA conforming RP ${detail.test.rpDoes}.${detail.test.configure ? ` Configure: ${detail.test.configure}.` : ''}\n\nIssuer: ${detail.issuer}`,
      status,
      statusDetails: { message: `${result.verdict}: ${result.reason}` },
      start: stop - (result.ms ?? 0),
      labels: [
        { name: 'parentSuite', value: result.rp },
        { name: 'suite', value: result.profile },
        { name: 'subSuite', value: result.responseType + (result.responseMode ? ` ${result.responseMode}` : '') },
        { name: 'tag', value: result.test },
        { name: 'framework', value: 'oidc-harness certify-rp' },
      ],
    });
    runtime.writeAttachment(uuid, null, 'verdict', Buffer.from(JSON.stringify({ ...result, judgement: detail.judgement }, null, 2)), { contentType: 'application/json' });
    runtime.writeAttachment(uuid, null, "the OP's request log", Buffer.from(JSON.stringify(detail.requests, null, 2)), { contentType: 'application/json' });
    if (detail.output !== '') runtime.writeAttachment(uuid, null, "the RP's output", Buffer.from(detail.output), { contentType: 'text/plain' });
    for (const shot of detail.screenshots) runtime.writeAttachment(uuid, null, `screenshot: ${shot.name}`, shot.png, { contentType: 'image/png' });
    runtime.updateTest(uuid, (test) => {
      test.stop = stop;
    });
    runtime.stopTest(uuid, { stop });
    runtime.writeTest(uuid);
  }

  /** Writes the categories file. */
  async close(): Promise<void> {
    await this.#open();
    this.#runtime!.writeCategoriesDefinitions();
  }
}

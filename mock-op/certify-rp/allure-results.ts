/**
 * Allure results of a certify-rp run, readable by Allure 3 and allure-commandline alike: a test
 * result per test (named by its id and response type), in the report's tree by profile and
 * response type, with the verdict and its reason as its status message and, first in its
 * description, what the test makes the OP do and what a conforming RP does; as evidence, the OP's
 * request log for the test with the JWTs of each request decoded (one attachment, each entry
 * titled `RP to OP: POST /token -> 200`), the conversation as the OP saw it drawn as a sequence
 * diagram, the RP's output and the screenshots of the pages the browser ended on (all redacted
 * before). `close` writes the categories and what the run was (`executor.json`,
 * `environment.properties`).
 *
 * The files go through the writer of every command (report/results-writer.ts): each written once,
 * into a spare file of the last run when there is one, without a sync to disk, and named to the
 * renderer that reads them while the run goes on.
 *
 * @module
 */
import { badThing, stopPoint, type LoggedRequest, type ResponseType } from '../index.js';
import type { TestResult } from '../conformance/results.js';
import { junitName } from '../conformance/results.js';
import { CATEGORIES } from '../../report/categories.js';
import { fromOpLog, nest } from '../../report/conversation.js';
import { exchangeLogAttachment } from '../../report/exchange-attachment.js';
import { refusedCarrier } from '../../report/refusal.js';
import { harnessVersion, OP_LABEL, RP_LABEL, writeRunInfo } from '../../report/run-info.js';
import { sequenceDiagram, type DiagramRefusal } from '../../report/sequence-diagram.js';
import { verdictLabels, verdictMarkdown, type VerdictFacts } from '../../report/verdict-description.js';
import type { RedactedRequest } from '../redacted-log.js';
import type { TestDetail } from './run.js';

/** The OP a test ran against, as the report names it: the mock OP at the origin of its issuer. */
function opOf(issuer: string): string {
  try {
    return `mock-op ${new URL(issuer).origin}`;
  } catch {
    return 'mock-op';
  }
}

/**
 * Where the RP refused, as far as the OP can tell: after the request where the test expects the
 * RP to stop (its first request to that endpoint), else after everything the OP saw. An RP that
 * accepted what it is to refuse is marked there too: it should have refused.
 */
function refusalOf(result: TestResult, detail: TestDetail): DiagramRefusal | undefined {
  const missed = result.outcome === 'accepted' && result.expected === 'reject';
  if (result.outcome !== 'refused' && !missed) return undefined;
  const point = stopPoint(detail.test, result.responseType as ResponseType);
  const at = point === undefined
    ? -1
    // The log entries are redacted copies of the OP's: the same fields, the time as text.
    : detail.requests.findIndex((entry) => (typeof point.after === 'function' ? point.after(entry as unknown as LoggedRequest) : entry.endpoint === point.after));
  if (missed && at < 0) return undefined;
  return {
    after: at < 0 ? detail.requests.length : at + 1,
    title: missed ? `the RP should have refused ${badThing(detail.test)} here` : `the RP refuses ${badThing(detail.test)}`,
    carrier: refusedCarrier(detail.test.rejectedAt, result.responseType),
  };
}

/** Writes one Allure result per test as the run goes; `close` writes the categories and what the run was. */
export class AllureResults {
  readonly #resultsDir: string;
  #runtime: import('allure-js-commons/sdk/reporter').ReporterRuntime | undefined;
  #writer: import('../../report/results-writer.js').PlainAllureWriter | undefined;
  #status: typeof import('allure-js-commons').Status | undefined;
  /** The RP and the OP of the run, as the tests name them. */
  readonly #rps = new Set<string>();
  readonly #ops = new Set<string>();

  constructor(resultsDir: string) {
    this.#resultsDir = resultsDir;
  }

  async #open(): Promise<void> {
    if (this.#runtime !== undefined) return;
    const { ReporterRuntime } = await import('allure-js-commons/sdk/reporter');
    const { Status } = await import('allure-js-commons');
    const { runResultsWriter } = await import('../../report/results-writer.js');
    this.#status = Status;
    this.#writer = runResultsWriter(this.#resultsDir);
    this.#runtime = new ReporterRuntime({
      writer: this.#writer,
      categories: CATEGORIES.map((category) => ({ ...category })),
    });
  }

  /** Writes the result of one test with its evidence. */
  async write(result: TestResult, detail: TestDetail): Promise<void> {
    await this.#open();
    const runtime = this.#runtime!;
    const Status = this.#status!;
    const status = { passed: Status.PASSED, failed: Status.FAILED, skipped: Status.SKIPPED, inconclusive: Status.BROKEN }[result.verdict];
    const stop = Date.now();
    const op = opOf(detail.issuer);
    this.#rps.add(result.rp);
    this.#ops.add(op);
    const facts: VerdictFacts = {
      verdict: result.verdict,
      reason: result.reason,
      test: result.test,
      legacy: result.legacy,
      profile: result.profile,
      responseType: result.responseType,
      responseMode: result.responseMode,
      expected: result.expected,
      outcome: result.outcome,
      testCheck: detail.test.check,
      opDoes: detail.test.description,
      rpDoes: detail.test.rpDoes,
      configure: detail.test.configure,
      issuer: detail.issuer,
    };
    const uuid = runtime.startTest({
      name: junitName(result),
      fullName: `${result.rp}: ${result.profile}: ${junitName(result)}`,
      description: verdictMarkdown(facts),
      status,
      statusDetails: { message: `${result.verdict}: ${result.reason}` },
      start: stop - (result.ms ?? 0),
      labels: [
        ...verdictLabels(facts),
        { name: 'suite', value: result.profile },
        { name: 'tag', value: result.test },
        { name: 'framework', value: 'oidc-harness certify-rp' },
        { name: RP_LABEL, value: result.rp },
        { name: OP_LABEL, value: op },
      ],
    });
    const exchanges = fromOpLog(detail.requests as readonly RedactedRequest[], detail.issuer);
    runtime.writeAttachment(uuid, null, 'verdict', Buffer.from(JSON.stringify({ ...result, judgement: detail.judgement }, null, 2)), { contentType: 'application/json' });
    const log = exchangeLogAttachment("the OP's request log", exchanges);
    runtime.writeAttachment(uuid, null, log.name, Buffer.from(log.content), { contentType: log.contentType, fileExtension: log.fileExtension });
    if (detail.output !== '') runtime.writeAttachment(uuid, null, "the RP's output", Buffer.from(detail.output), { contentType: 'text/plain' });
    for (const shot of detail.screenshots) runtime.writeAttachment(uuid, null, `screenshot: ${shot.name}`, shot.png, { contentType: 'image/png' });
    // The conversation as the OP saw it, in a step of its own (the attachments above are the test's own).
    const refusal = refusalOf(result, detail);
    const svg = sequenceDiagram({ title: junitName(result), nodes: nest(exchanges), refusal, verdict: { verdict: result.verdict, reason: result.reason } });
    const diagram = `sequence diagram: ${exchanges.length} request${exchanges.length === 1 ? '' : 's'} the OP saw${refusal ? `, ${refusal.title}` : ''}`;
    runtime.writeAttachment(uuid, null, diagram, Buffer.from(svg), { contentType: 'image/svg+xml', fileExtension: '.svg', wrapInStep: true, timestamp: stop });
    runtime.updateTest(uuid, (test) => {
      test.stop = stop;
    });
    runtime.stopTest(uuid, { stop });
    runtime.writeTest(uuid);
  }

  /**
   * Writes the categories file and what the run was: the RP's name as the report's title, the
   * environment. Rejects, naming the folder, when a file of the run could not be written.
   */
  async close(): Promise<void> {
    await this.#open();
    this.#runtime!.writeCategoriesDefinitions();
    await this.#writer!.flush();
    const rp = [...this.#rps].join(', ') || 'no RP';
    const harness = harnessVersion();
    await writeRunInfo(this.#resultsDir, {
      title: `oidc-harness certify-rp: ${rp}`,
      kind: 'certify-rp',
      environment: { 'oidc-harness': harness, 'Node.js': process.version, ...(this.#ops.size > 0 ? { OP: [...this.#ops].join('; ') } : {}), RP: rp },
    }, harness);
  }
}

/**
 * The Allure results writer of every command (`certify`, `live`, the features, `certify-rp`): it
 * writes each file once, plainly. allure-js-commons' own FileSystemWriter syncs every result and
 * attachment to disk (fsync) through a temporary file, one after the other on the main thread; a
 * certification run writes thousands of them, and under load half the run's wall time went there.
 * Results are read by Allure once they are whole (after the run, or once announced, below), so
 * neither the sync nor the rename is needed. The files are the standard Allure results, readable
 * by Allure 3 and allure-commandline alike.
 *
 * - **Written at once, synchronously**, each file with one `writeFileSync` and no sync to disk, or
 *   into a spare file of an earlier run (report/results-folder.ts says why).
 *   A small file costs about 25 µs so (2,500 files: 60 ms of CPU); written through libuv's thread
 *   pool, the same files cost four to twelve times that in CPU, on the main thread and the pool
 *   alike, and the pool is where the RSA signatures run. {@link PlainAllureWriter.flush} writes
 *   what no test referred to, and reports the first write that failed.
 * - **Each test's files are announced once written** (`announce`): their names go, in one line
 *   each, into the results folder's announcements, when a renderer listens there, so that it reads
 *   them while the run goes on (report/results-folder.ts, report/results-reader.mjs).
 * - **An attachment is one file per content.** An attachment is held until the test or fixture
 *   that refers to it is written, then stored under a name made from its content's digest, and the
 *   reference is rewritten to that name. allure-cucumberjs attaches every Examples table of a
 *   Scenario Outline to each of its examples: those are the same file, written once.
 * - **Attachments for machines are left out** (`omitMediaTypes`): the verdict that a scenario's
 *   After hook attaches is how the verdict formatter hears of it, not something for a reader of
 *   the report (steps/support/allure-writer.ts leaves it out). A step left holding nothing is
 *   dropped with it.
 * - A hook's container (Allure's set-up and tear-down fixtures) is written only when it says
 *   something: a fixture that did not pass, or one with steps or attachments. The harness's own
 *   bookkeeping hooks (release the scenario's RP, note its secrets for the ledger, record the
 *   verdict) say nothing in every scenario; written, they were a quarter of the files of a run and
 *   a list of identical tear-downs under every test of the report.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Writer } from 'allure-js-commons/sdk/reporter';
import { announce, SpareFiles, sparesOf } from './results-folder.js';

/** The writer's argument types, from allure-js-commons. */
type Results = Parameters<Writer['writeResult']>[0];
type Group = Parameters<Writer['writeGroup']>[0];
type Environment = Parameters<Writer['writeEnvironmentInfo']>[0];
type Categories = Parameters<Writer['writeCategoriesDefinitions']>[0];
type Globals = Parameters<Writer['writeGlobals']>[1];
type Fixture = Group['befores'][number];
type Step = Fixture['steps'][number];
type Attachment = Step['attachments'][number];

/** What the writer leaves out. */
export interface PlainAllureWriterOptions {
  /** Media types of attachments that are not written, and whose steps go with them when left empty. */
  readonly omitMediaTypes?: readonly string[];
  /**
   * A folder of spare files of earlier runs (report/results-folder.ts): each file written takes one,
   * renamed and overwritten in place, before any new file is made.
   */
  readonly spares?: string;
  /**
   * Whether to name each file, once written, in the results folder's announcements, for a renderer
   * that reads them as the run goes on (report/results-folder.ts `announce`). Default false.
   */
  readonly announce?: boolean;
}

/** A fixture worth showing: it did not pass, or it holds steps or attachments. */
function saysSomething(fixture: Fixture): boolean {
  return fixture.status !== 'passed' || fixture.steps.length > 0 || fixture.attachments.length > 0;
}

/** The name of an attachment file with this content: its digest, shaped as Allure's uuid-named files are. */
function contentName(content: Buffer, original: string): string {
  const hex = createHash('sha256').update(content).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return `${uuid}-attachment${extname(original)}`;
}

/** Writes Allure results into `resultsDir`, each file once, without syncing it. */
export class PlainAllureWriter implements Writer {
  readonly #dir: string;
  readonly #omit: ReadonlySet<string>;
  readonly #spares: SpareFiles | undefined;
  /** The files written since the last announcement, or undefined when the writer does not announce. */
  #written: string[] | undefined;
  #made = false;
  /** Attachments not yet referred to by a written test or fixture, by the name allure-js-commons gave them. */
  readonly #held = new Map<string, Buffer>();
  /** The content names already written. */
  readonly #stored = new Set<string>();
  /** The first write that failed, reported by {@link PlainAllureWriter.flush}. */
  #failure: Error | undefined;

  constructor(resultsDir: string, options: PlainAllureWriterOptions = {}) {
    this.#dir = resultsDir;
    this.#omit = new Set(options.omitMediaTypes ?? []);
    this.#spares = options.spares === undefined ? undefined : new SpareFiles(options.spares);
    this.#written = options.announce === true ? [] : undefined;
  }

  #path(name: string): string {
    if (!this.#made) {
      mkdirSync(this.#dir, { recursive: true });
      this.#made = true;
    }
    return join(this.#dir, name);
  }

  #write(name: string, data: string | Buffer): void {
    // A results folder that cannot be made throws at once; a file that cannot be written is
    // reported by flush(), once, rather than thrown into allure-cucumberjs mid-run.
    const path = this.#path(name);
    if (this.#failure !== undefined) return;
    try {
      if (!this.#spares?.write(path, data)) writeFileSync(path, data);
      this.#written?.push(name);
    } catch (error) {
      this.#failure = error instanceof Error ? error : new Error(String(error));
    }
  }

  /** Names the files written since the last call, all at once (a test's result and its attachments). */
  #announce(): void {
    if (this.#written === undefined || this.#written.length === 0) return;
    try {
      announce(this.#dir, this.#written);
      this.#written.length = 0;
    } catch {
      // The renderer reads every file at the end in any case: announcing is only a head start.
      this.#written = undefined;
    }
  }

  /**
   * Writes the attachments that nothing referred to, under their own names, and resolves once every
   * file handed to the writer is written; rejects with the first write that failed.
   */
  async flush(): Promise<void> {
    for (const [name, content] of this.#held) this.#write(name, content);
    this.#held.clear();
    this.#announce();
    if (this.#failure) {
      const failure = this.#failure;
      this.#failure = undefined;
      throw new Error(`the Allure results could not be written to ${this.#dir}: ${failure.message}`, { cause: failure });
    }
  }

  /** The attachments kept, each stored under its content's name; the others forgotten. */
  #attachments(attachments: Attachment[] | undefined): Attachment[] {
    const kept: Attachment[] = [];
    for (const attachment of attachments ?? []) {
      const content = this.#held.get(attachment.source);
      this.#held.delete(attachment.source);
      if (this.#omit.has(attachment.type ?? '')) continue;
      if (content === undefined) {
        kept.push(attachment);
        continue;
      }
      const name = contentName(content, attachment.source);
      if (!this.#stored.has(name)) {
        this.#stored.add(name);
        this.#write(name, content);
      }
      kept.push({ ...attachment, source: name });
    }
    return kept;
  }

  /** The steps with their attachments stored; a step that only held left-out attachments goes too. */
  #steps(steps: Step[] | undefined): Step[] {
    const kept: Step[] = [];
    // Steps that came through runtime messages may leave out empty lists.
    for (const step of steps ?? []) {
      const before = step.attachments?.length ?? 0;
      const attachments = this.#attachments(step.attachments);
      const children = this.#steps(step.steps);
      const emptied = before > 0 && attachments.length === 0 && children.length === 0 && step.status !== 'failed' && step.status !== 'broken';
      if (!emptied) kept.push({ ...step, attachments, steps: children });
    }
    return kept;
  }

  #fixture<T extends Fixture | Results>(item: T): T {
    return { ...item, attachments: this.#attachments(item.attachments), steps: this.#steps(item.steps) };
  }

  writeResult(result: Results): void {
    const stored = this.#fixture(result);
    this.#write(`${result.uuid}-result.json`, JSON.stringify(stored));
    this.#announce();
  }

  writeGroup(result: Group): void {
    const group = { ...result, befores: result.befores.map((f) => this.#fixture(f)), afters: result.afters.map((f) => this.#fixture(f)) };
    if (![...group.befores, ...group.afters].some(saysSomething)) return;
    this.#write(`${result.uuid}-container.json`, JSON.stringify(group));
    this.#announce();
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    this.#held.set(distFileName, content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    // The file may be gone by the time its test ends: copied now, under the name it was given.
    copyFileSync(from, this.#path(distFileName));
    this.#written?.push(distFileName);
  }

  writeEnvironmentInfo(info: Environment): void {
    const lines = Object.entries(info).map(([key, value]) => `${key.replace(/[:=\s]/g, '\\$&')}=${String(value).replace(/\n/g, '\\n')}`);
    this.#write('environment.properties', `${lines.join('\n')}\n`);
  }

  writeCategoriesDefinitions(categories: Categories): void {
    this.#write('categories.json', JSON.stringify(categories));
  }

  writeGlobals(distFileName: string, info: Globals): void {
    const globals = { ...info, attachments: this.#attachments(info.attachments as Attachment[]) };
    this.#write(distFileName, JSON.stringify(globals));
    this.#announce();
  }
}

/**
 * The writer of a command's run into `resultsDir`: reusing the spare files of the runs before it,
 * naming each file it writes to a renderer that listens, and leaving out attachments of the
 * `omitMediaTypes` given.
 */
export function runResultsWriter(resultsDir: string, omitMediaTypes: readonly string[] = []): PlainAllureWriter {
  return new PlainAllureWriter(resultsDir, { omitMediaTypes, spares: sparesOf(resultsDir), announce: true });
}

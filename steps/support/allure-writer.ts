/**
 * An Allure results writer that writes each file once, plainly. allure-js-commons' own
 * FileSystemWriter syncs every result and attachment to disk (fsync) through a temporary file; a
 * certification run writes thousands of them, and under load half the run's wall time went there.
 * Results are read after the run, by Allure, so neither the sync nor the rename is needed. The
 * files are the standard Allure results, readable by Allure 3 and allure-commandline alike.
 *
 * A hook's container (Allure's set-up and tear-down fixtures) is written only when it says
 * something: a fixture that did not pass, or one with steps or attachments. The harness's own
 * bookkeeping hooks (release the scenario's RP, note its secrets for the ledger) pass empty in
 * every scenario; written, they were a quarter of the files of a run and a list of identical
 * tear-downs under every test of the report.
 *
 * @module
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writer } from 'allure-js-commons/sdk/reporter';

/** The writer's argument types, from allure-js-commons. */
type Results = Parameters<Writer['writeResult']>[0];
type Group = Parameters<Writer['writeGroup']>[0];
type Environment = Parameters<Writer['writeEnvironmentInfo']>[0];
type Categories = Parameters<Writer['writeCategoriesDefinitions']>[0];
type Globals = Parameters<Writer['writeGlobals']>[1];

/** A fixture worth showing: it did not pass, or it holds steps or attachments. */
function saysSomething(fixture: Group['befores'][number]): boolean {
  return fixture.status !== 'passed' || fixture.steps.length > 0 || fixture.attachments.length > 0;
}

/** Writes Allure results into `resultsDir`, each file once, without syncing it. */
export class PlainAllureWriter implements Writer {
  readonly #dir: string;
  #made = false;

  constructor(resultsDir: string) {
    this.#dir = resultsDir;
  }

  #path(name: string): string {
    if (!this.#made) {
      mkdirSync(this.#dir, { recursive: true });
      this.#made = true;
    }
    return join(this.#dir, name);
  }

  writeResult(result: Results): void {
    writeFileSync(this.#path(`${result.uuid}-result.json`), JSON.stringify(result));
  }

  writeGroup(result: Group): void {
    if (![...result.befores, ...result.afters].some(saysSomething)) return;
    writeFileSync(this.#path(`${result.uuid}-container.json`), JSON.stringify(result));
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    writeFileSync(this.#path(distFileName), content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    copyFileSync(from, this.#path(distFileName));
  }

  writeEnvironmentInfo(info: Environment): void {
    const lines = Object.entries(info).map(([key, value]) => `${key.replace(/[:=\s]/g, '\\$&')}=${String(value).replace(/\n/g, '\\n')}`);
    writeFileSync(this.#path('environment.properties'), `${lines.join('\n')}\n`);
  }

  writeCategoriesDefinitions(categories: Categories): void {
    writeFileSync(this.#path('categories.json'), JSON.stringify(categories));
  }

  writeGlobals(distFileName: string, info: Globals): void {
    writeFileSync(this.#path(distFileName), JSON.stringify(info));
  }
}

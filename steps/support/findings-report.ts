import type { Finding } from '../../src/index.js';
import { CATEGORIES, FINDINGS_CATEGORY } from '../../report/categories.js';

/** A finding and where it was met. */
interface Met {
  finding: Finding;
  scenario: string;
  op: string;
}

const met: Met[] = [];

/** The Allure category that gathers the findings in the report. */
export { FINDINGS_CATEGORY };

/** Notes the interop findings of a scenario, to be reported at the end of the run. */
export function noteFindings(findings: readonly Finding[], scenario: string, op: string): void {
  for (const finding of findings) met.push({ finding, scenario, op });
}

/**
 * Writes every finding noted during the run as an Allure result of its own, in the category
 * "Interop findings", so the report lists them apart from the scenarios' verdicts. Each names the
 * specification clause it departs from. Writes `categories.json` beside the results, with every
 * category of the report (report/categories.ts).
 */
export async function writeFindingsReport(resultsDir: string): Promise<number> {
  const unique = new Map<string, Met>();
  for (const entry of met) unique.set(`${entry.op} ${entry.finding.id} ${entry.finding.url}`, entry);
  const { ReporterRuntime, FileSystemWriter } = await import('allure-js-commons/sdk/reporter');
  const { Status } = await import('allure-js-commons');
  const runtime = new ReporterRuntime({
    writer: new FileSystemWriter({ resultsDir }),
    categories: CATEGORIES.map((category) => ({ ...category })),
  });
  for (const { finding, scenario, op } of unique.values()) {
    const uuid = runtime.startTest({
      name: finding.title,
      fullName: `${op}: ${finding.id} at ${finding.url}`,
      status: Status.BROKEN,
      statusDetails: { message: `Interop finding (${finding.clause}): ${finding.title}`, trace: `seen in "${scenario}" at ${finding.url}${finding.detail ? `\n${JSON.stringify(finding.detail)}` : ''}` },
      labels: [
        { name: 'suite', value: FINDINGS_CATEGORY },
        { name: 'subSuite', value: op },
        { name: 'tag', value: finding.id },
      ],
    });
    runtime.stopTest(uuid);
    runtime.writeTest(uuid);
  }
  runtime.writeCategoriesDefinitions();
  met.length = 0;
  return unique.size;
}

/**
 * The interop findings of a run against a real provider: each scenario's (from its recorded
 * exchanges and from what its steps and probes found), attached to the scenario for the report
 * and the live formatter, and gathered once per provider and rule, with the scenarios where each
 * was seen. Findings never fail a test, and are not test results: in Allure they are one global
 * attachment of the run, "Interop findings".
 */
import type { World } from '@cucumber/cucumber';
import { findInteropIssues, type Exchange } from '../../../src/index.js';
import type { Finding } from '../../../src/interop/finding.js';
import { isProviderExchange } from '../../../src/interop/find-interop-issues.js';

/** The file name of a scenario's findings attachment (a JSON list of {@link Finding}s), which the live formatter reads. */
export const FINDINGS_ATTACHMENT = 'interop findings';

/** A finding gathered over a run: one per provider and rule. */
export interface GatheredFinding {
  provider: string;
  id: string;
  title: string;
  clause: string;
  requirement?: Finding['requirement'];
  /** The scenarios where it was seen, in the order they ran. */
  scenarios: string[];
  /** The URLs where it was seen. */
  urls: string[];
  /** The titles seen, when they differ between scenarios. */
  titles: string[];
}

/**
 * One list per rule and provider: the first title and clause, every scenario and URL.
 * The input order is kept.
 */
export function gatherFindings(seen: ReadonlyArray<{ provider: string; scenario: string; finding: Finding }>): GatheredFinding[] {
  const byRule = new Map<string, GatheredFinding>();
  for (const { provider, scenario, finding } of seen) {
    const key = `${provider}\u0000${finding.id}`;
    const gathered = byRule.get(key) ?? {
      provider,
      id: finding.id,
      title: finding.title,
      clause: finding.clause,
      ...(finding.requirement === undefined ? {} : { requirement: finding.requirement }),
      scenarios: [],
      urls: [],
      titles: [],
    };
    if (!gathered.scenarios.includes(scenario)) gathered.scenarios.push(scenario);
    if (finding.url !== '' && !gathered.urls.includes(finding.url)) gathered.urls.push(finding.url);
    if (!gathered.titles.includes(finding.title)) gathered.titles.push(finding.title);
    byRule.set(key, gathered);
  }
  return [...byRule.values()];
}

/**
 * The findings of one scenario: the exchange checks over every exchange that went to the
 * provider (its issuer's origin or any endpoint its discovery document names), and `own` (what
 * the steps and probes found), each rule once per URL.
 */
export function scenarioFindings(exchanges: readonly Exchange[], issuer: string, metadata: Record<string, unknown> | undefined, own: readonly Finding[]): Finding[] {
  const toProvider = exchanges.filter((e) => isProviderExchange(e, issuer, metadata));
  const all = [...findInteropIssues(toProvider, undefined, metadata === undefined ? {} : { metadata }), ...own];
  const seen = new Set<string>();
  return all.filter((f) => {
    const key = `${f.id} ${f.url}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Attaches a scenario's findings for the report and the live formatter. */
export async function attachFindings(world: World, findings: readonly Finding[]): Promise<void> {
  if (findings.length === 0) return;
  await world.attach(JSON.stringify(findings, null, 2), { mediaType: 'application/json', fileName: FINDINGS_ATTACHMENT });
}

const noted: Array<{ provider: string; scenario: string; finding: Finding }> = [];

/** Notes a scenario's findings for the run's Allure attachment ({@link writeFindingsAttachment}). */
export function noteFindings(provider: string, scenario: string, findings: readonly Finding[]): void {
  for (const finding of findings) noted.push({ provider, scenario, finding });
}

/** The findings in words, one paragraph per rule: for the console and the Allure attachment. */
export function describeFindings(findings: readonly GatheredFinding[]): string {
  return findings.map((f, i) => `${i + 1}. ${f.title} (${f.id}; ${f.requirement === undefined ? '' : `${f.requirement}, `}${f.clause})\n`
    + `${f.titles.length > 1 ? `   also: ${f.titles.slice(1).join('; ')}\n` : ''}`
    + `   seen in: ${f.scenarios.join('; ')}${f.urls.length > 0 ? `\n   at: ${f.urls.join(', ')}` : ''}`).join('\n');
}

/**
 * Writes the run's noted findings into `resultsDir` as one global Allure attachment, "Interop
 * findings" (JSON, and a text summary), and forgets them. Returns how many rules were found.
 * The files go through the run's results writer (report/results-writer.ts: no sync per file, each
 * named to a renderer that listens), as every other result of the run does.
 * @throws {Error} when they cannot be written.
 */
export async function writeFindingsAttachment(resultsDir: string, findings: readonly GatheredFinding[] = gatherFindings(noted.splice(0))): Promise<number> {
  if (findings.length === 0) return 0;
  const [{ ReporterRuntime }, { PlainAllureWriter }] = await Promise.all([import('allure-js-commons/sdk/reporter'), import('../../../report/results-writer.js')]);
  const writer = new PlainAllureWriter(resultsDir, { announce: true });
  const runtime = new ReporterRuntime({ writer });
  runtime.applyGlobalRuntimeMessages([
    { type: 'global_attachment_content', data: { name: 'Interop findings', content: Buffer.from(describeFindings(findings)).toString('base64'), encoding: 'base64', contentType: 'text/plain' } },
    { type: 'global_attachment_content', data: { name: 'Interop findings (JSON)', content: Buffer.from(JSON.stringify(findings, null, 2)).toString('base64'), encoding: 'base64', contentType: 'application/json' } },
  ]);
  await writer.flush();
  return findings.length;
}

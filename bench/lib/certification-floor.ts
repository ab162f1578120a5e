/**
 * The certification's floor: what the tools the certification runs on cost when the RP, the mock
 * OP and MSW cost nothing. The same features, in the same passes as `oidc-harness certify` (its
 * `certificationPasses`), run through Cucumber's API with every step done by nothing and the
 * Allure reporter writing through the harness's results writer (certification-floor-run.mjs); then
 * the report's renderer (report/render.mjs, Allure 3) renders those results. Each in a child
 * process of its own, its CPU time counted as the certification's is (bash's `times`).
 *
 * The run has no attachments but Cucumber's data tables (a certification has some 2,000 exchange
 * records and sequence diagrams more), so the renderer's figure here is below what it spends on
 * a certification's results.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificationPasses } from '../../bin/commands/certify.js';
import { ROOT, runSpread, runTimed, type RunSpread } from './certification.js';

/** Wall and CPU time of one part of the floor, over the runs. */
export interface FloorPart {
  wallMs: RunSpread;
  cpuMs: RunSpread;
}

/** The floor's figures. */
export interface CertificationFloor {
  runs: number;
  /** Scenarios each run ran (the certification's count: every pass). */
  scenarios: number;
  /** Node, Cucumber (loading, parsing the features, running the scenarios) and allure-cucumberjs writing the results. */
  cucumber: FloorPart;
  /** The report's renderer on those results. */
  render: FloorPart;
}

/** Measures the floor `runs` times, one after the other. */
export async function measureCertificationFloor(runs: number): Promise<CertificationFloor> {
  const tags = certificationPasses([], undefined).map((pass) => pass.tags ?? null);
  const cucumber = { wall: [] as number[], cpu: [] as number[] };
  const render = { wall: [] as number[], cpu: [] as number[] };
  let scenarios = 0;
  for (let i = 0; i < runs; i += 1) {
    const dir = mkdtempSync(join(tmpdir(), 'oidc-harness-floor-'));
    try {
      const results = join(dir, 'allure-results');
      const run = await runTimed([join(ROOT, 'bench', 'lib', 'certification-floor-run.mjs'), results, JSON.stringify(tags)]);
      if (run.status !== 0) throw new Error(`the floor's Cucumber run failed (exit ${run.status}): ${run.output.trim().slice(-600)}`);
      scenarios = Number(run.output.trim().split('\n').pop());
      const written = readdirSync(results).filter((name) => name.endsWith('-result.json')).length;
      if (!(scenarios > 0) || written !== scenarios) throw new Error(`the floor's Cucumber run ran ${scenarios} scenarios and wrote ${written} results`);
      const rendered = await runTimed([join(ROOT, 'report', 'render.mjs'), results, join(dir, 'allure-report')]);
      if (rendered.status !== 0) throw new Error(`the floor's report did not render (exit ${rendered.status}): ${rendered.output.trim().slice(-600)}`);
      cucumber.wall.push(run.wallMs);
      cucumber.cpu.push(run.cpuMs);
      render.wall.push(rendered.wallMs);
      render.cpu.push(rendered.cpuMs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    runs,
    scenarios,
    cucumber: { wallMs: runSpread(cucumber.wall), cpuMs: runSpread(cucumber.cpu) },
    render: { wallMs: runSpread(render.wall), cpuMs: runSpread(render.cpu) },
  };
}

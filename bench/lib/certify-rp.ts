/**
 * certify-rp's figures: the Basic plan for a command-mode RP (openid-client as a command) against
 * `certify --profile basic` (the built-in layer, in-process), and for browser-mode RPs (an Express
 * RP started per test, a single-page app) the time per test and where it goes: Chromium's launch,
 * starting the RP, driving it, stopping it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadCertifyRpConfig } from '../../mock-op/certify-rp/config.js';
import { RpBrowser } from '../../mock-op/certify-rp/browser-driver.js';
import { certifyRp } from '../../mock-op/certify-rp/run.js';
import { ROOT } from './certification.js';
import { median, range, round } from './stats.js';

/** One plan of one RP through certify-rp. */
export interface CertifyRpPlanFigures {
  readonly config: string;
  readonly tests: number;
  /** The whole plan, in ms (the OP's start and the browser's launch included). */
  readonly wholeMs: number;
  /** The median test, and the fastest and slowest, in ms. */
  readonly perTestMedianMs: number;
  readonly perTestRangeMs: [number, number];
  /** Medians per test of each phase, in ms. */
  readonly phasesMedianMs: { start: number; drive: number; stop: number };
  /** Verdicts by kind. */
  readonly verdicts: Record<string, number>;
}

/** Runs one configuration's plan `runs` times (`jobs` tests at once); the figures of the run with the median whole time. */
async function measurePlan(file: string, runs: number, jobs = 1): Promise<CertifyRpPlanFigures> {
  const config = await loadCertifyRpConfig(join(ROOT, file));
  const all: CertifyRpPlanFigures[] = [];
  for (let i = 0; i < runs; i += 1) {
    const phases: Array<{ start: number; drive: number; stop: number }> = [];
    const started = performance.now();
    const { results } = await certifyRp({ config, cwd: ROOT, jobs, onResult: (_r, detail) => phases.push(detail.phases) });
    const wholeMs = performance.now() - started;
    const times = results.map((r) => r.ms ?? 0);
    const verdicts: Record<string, number> = {};
    for (const r of results) verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
    const [lo, hi] = range(times);
    all.push({
      config: file,
      tests: results.length,
      wholeMs: round(wholeMs),
      perTestMedianMs: round(median(times)),
      perTestRangeMs: [round(lo), round(hi)],
      phasesMedianMs: { start: round(median(phases.map((p) => p.start))), drive: round(median(phases.map((p) => p.drive))), stop: round(median(phases.map((p) => p.stop))) },
      verdicts,
    });
  }
  return all.sort((a, b) => a.wholeMs - b.wholeMs)[Math.floor(all.length / 2)]!;
}

/** The wall time of `oidc-harness certify --profile basic --no-report`, process start to exit, in ms. */
async function certifyBasicMs(): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'oidc-harness.mjs'), 'certify', '--profile', 'basic', '--no-report'], { cwd: ROOT, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 || code === 1 ? resolve() : reject(new Error(`certify exited ${code}`))));
  });
  return round(performance.now() - started);
}

/** Every certify-rp figure. */
export interface CertifyRpFigures {
  readonly commandMode: CertifyRpPlanFigures;
  /** `certify --profile basic`, whole process, median of the runs, in ms. */
  readonly certifyBasicMs: number;
  /** The command-mode Basic plan over `certify --profile basic`. */
  readonly commandOverCertify: number;
  /** The same plan with two tests at once (`--jobs 2`), and it over `certify --profile basic`. */
  readonly commandModeJobs2: CertifyRpPlanFigures;
  readonly commandJobs2OverCertify: number;
  readonly browserMode: { readonly express: CertifyRpPlanFigures; readonly spa: CertifyRpPlanFigures };
  /** Chromium's launch, median of 3, in ms. */
  readonly browserLaunchMs: number;
}

/** Measures certify-rp (`runs` runs of each plan). */
export async function measureCertifyRp(runs: number): Promise<CertifyRpFigures> {
  const commandMode = await measurePlan('examples/openid-client/certify-rp.json', runs);
  const commandModeJobs2 = await measurePlan('examples/openid-client/certify-rp.json', runs, 2);
  const certify: number[] = [];
  for (let i = 0; i < runs; i += 1) certify.push(await certifyBasicMs());
  const launches: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const started = performance.now();
    const browser = await RpBrowser.launch();
    launches.push(performance.now() - started);
    await browser.close();
  }
  const certifyBasic = round(median(certify));
  return {
    commandMode,
    certifyBasicMs: certifyBasic,
    commandOverCertify: round(commandMode.wholeMs / certifyBasic, 2),
    commandModeJobs2,
    commandJobs2OverCertify: round(commandModeJobs2.wholeMs / certifyBasic, 2),
    browserMode: {
      express: await measurePlan('examples/express-openid-connect/certify-rp.json', runs),
      spa: await measurePlan('examples/spa/certify-rp.json', runs),
    },
    browserLaunchMs: round(median(launches)),
  };
}

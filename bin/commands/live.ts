/**
 * `oidc-harness live`: the real-provider scenarios and the probes of the provider itself, against
 * a live provider that a configuration file describes. Everything the run writes goes to
 * `reports/live/<provider>/`, emptied first, so a live run never touches the certification's
 * reports and every run renders a fresh report.
 *
 * @module
 */
import { readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { clearResults, sparesOf } from '../../report/results-folder.js';
import { EXIT, parseCommandArgs, REPORTS, runFeatures, startReport, UsageError, type Command } from '../command.js';

const HELP = `Usage: oidc-harness live --config FILE [--probes | --no-probes] [--tags EXPR] [--no-report]

Runs against a live provider the real-provider scenarios (features/real-op/real-op.feature:
discovery, registration or the configured client, logins in Chromium with the configured login
steps, tokens, userinfo, refresh, logout) and the probes of the provider itself
(features/real-op/probes.feature: requests it must refuse, answers checked against their clause).
Secrets come from the environment variables FILE names. The configuration is checked first: every
problem is named at once (exit 2).

Prints a line per scenario as it starts and ends, then the verdict table, the totals, each
failure's and skip's reason and the interop findings, and writes reports/live/<provider>/:
summary.json, junit.xml, allure-results/ and the rendered allure-report/.

Options:
  -c, --config FILE   the provider's configuration (see live.example.json, examples/live/)
      --probes        only the probes
      --no-probes     only the scenarios, no probes
  -t, --tags EXPR     only what a Cucumber tag expression selects: @logout, @refresh, @code-flow,
                      @probe:code-reuse, ... (see features/real-op)
      --no-report     do not render the Allure report
  -h, --help          this text

Exit codes: 0 nothing failed, 1 a scenario or probe failed, 2 a usage or configuration error.`;

/** Where a provider's live reports go: `live/<provider>/` in the run's reports folder. */
export function liveReportsDir(slug: string): string {
  return join(REPORTS, 'live', slug);
}

async function live(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    config: { type: 'string', short: 'c' },
    probes: { type: 'boolean' },
    tags: { type: 'string', short: 't' },
    report: { type: 'boolean', default: true },
  });
  if (values.help) {
    console.log(HELP);
    return EXIT.passed;
  }
  if (!values.config) throw new UsageError('needs --config FILE (see live.example.json)');
  const { loadLiveConfig, LiveConfigError } = await import('../../steps/support/targets/live-config.js');
  // The results writer brings Cucumber's formatter with it: loaded by the command that runs Cucumber.
  const { harnessResultsWriter } = await import('../../steps/support/allure-writer.js');
  let config;
  try {
    config = await loadLiveConfig(values.config);
  } catch (error) {
    if (error instanceof LiveConfigError) {
      console.error(error.message);
      return EXIT.usage;
    }
    throw error;
  }
  const dir = liveReportsDir(config.slug);
  const results = join(dir, 'allure-results');
  // The provider's folder starts empty but for its results' spare files, which this run reuses.
  clearResults(results);
  const kept = new Set([basename(results), basename(sparesOf(results))]);
  for (const entry of await readdir(dir)) if (!kept.has(entry)) await rm(join(dir, entry), { recursive: true, force: true });
  const selection = [values.probes === true ? '@probes' : values.probes === false ? 'not @probes' : undefined, values.tags]
    .filter((t): t is string => t !== undefined).map((t) => `(${t})`);
  const tags = selection.length === 0 ? undefined : selection.join(' and ');
  // Allure loads, and reads each scenario's results, while the scenarios run.
  const report = values.report ? await startReport(results, join(dir, 'allure-report')) : undefined;
  let run: Awaited<ReturnType<typeof runFeatures>>;
  try {
    run = await runFeatures('live', [
      {
        tags,
        worldParameters: { target: 'live', liveConfig: values.config },
        format: [['allure-cucumberjs/reporter', join(dir, 'allure-reporter.log')]],
        formatOptions: {
          resultsDir: results,
          writer: harnessResultsWriter(results),
          provider: config.name,
          summaryPath: join(dir, 'summary.json'),
          junitPath: join(dir, 'junit.xml'),
        },
      },
    ]);
  } catch (error) {
    report?.abandon();
    throw error;
  }
  if (run.selected === 0) {
    report?.abandon();
    console.error('no scenario matches the selection: nothing was run');
    return EXIT.usage;
  }
  console.log(`summary: ${join(dir, 'summary.json')}\njunit: ${join(dir, 'junit.xml')}`);
  const rendered = report ? await report.finish() : EXIT.passed;
  if (rendered !== EXIT.passed) return rendered;
  return run.success ? EXIT.passed : EXIT.failed;
}

/** The `live` command. */
export const liveCommand: Command = { name: 'live', summary: 'run the real-provider scenarios and probes against a live provider', help: HELP, run: live };

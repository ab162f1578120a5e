/**
 * `oidc-harness live`: the real-OP features against a live provider that a configuration file
 * describes.
 *
 * @module
 */
import { mkdir, rm } from 'node:fs/promises';
import { EXIT, parseCommandArgs, renderReport, RESULTS, runFeatures, UsageError, type Command } from '../shared.js';

const HELP = `Usage: oidc-harness live --config FILE [--no-report]

Runs the real-OP features (features/real-op) against a live provider: discovery, registration or
the configured client, logins in Chromium with the configured login recipe, tokens, userinfo,
refresh, logout. Secrets come from the environment variables FILE names. Interop findings appear
in the report under "Interop findings".

Options:
  -c, --config FILE   the provider's configuration (see live.example.json)
      --no-report     do not render the Allure report
  -h, --help          this text

Exit codes: 0 every scenario passed, 1 a scenario failed, 2 a usage or configuration error.`;

async function live(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { config: { type: 'string', short: 'c' }, report: { type: 'boolean', default: true } });
  if (values.help) {
    console.log(HELP);
    return EXIT.passed;
  }
  if (!values.config) throw new UsageError('needs --config FILE (see live.example.json)');
  const { loadLiveConfig, LiveConfigError } = await import('../../steps/support/targets/live-config.js');
  try {
    await loadLiveConfig(values.config);
  } catch (error) {
    if (error instanceof LiveConfigError) {
      console.error(error.message);
      return EXIT.usage;
    }
    throw error;
  }
  await rm(RESULTS, { recursive: true, force: true });
  await mkdir(RESULTS, { recursive: true });
  const run = await runFeatures('live', [{ worldParameters: { target: 'live', liveConfig: values.config } }]);
  const rendered = values.report ? await renderReport() : EXIT.passed;
  if (rendered !== EXIT.passed) return rendered;
  return run.success ? EXIT.passed : EXIT.failed;
}

/** The `live` command. */
export const liveCommand: Command = { name: 'live', summary: 'run the real-OP features against a live provider', help: HELP, run: live };

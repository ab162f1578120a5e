/**
 * `oidc-harness certify`: the certification of the built-in service layer against the built-in
 * mock OP, in-process through MSW.
 *
 * @module
 */
import { mkdir, rm } from 'node:fs/promises';
import { EXIT, parseCommandArgs, renderReport, RESULTS, runFeatures, UsageError, type Command } from '../shared.js';

/** The certification profiles, as the features tag them (@profile:NAME). */
export const PROFILES = [
  'basic', 'implicit', 'hybrid', 'form-post', 'config', 'dynamic', 'backchannel-logout', 'frontchannel-logout',
  'rp-initiated-logout', 'session-management', 'third-party-login', 'refresh-token', 'comprehensive',
] as const;

const HELP = `Usage: oidc-harness certify [--profile NAME]... [--tags EXPR] [--no-report]

Runs the RP certification (features/certification) of the built-in service layer against the
built-in mock OP, in-process: a verdict line per scenario as it runs, a table per profile, then
reports/summary.json, reports/junit.xml, reports/allure-results and the rendered report.

Options:
  -p, --profile NAME   only this profile (repeat for several): ${PROFILES.join(', ')}
  -t, --tags EXPR      only the scenarios a Cucumber tag expression selects (e.g. "@oidcc-client-test-invalid-iss")
      --no-report      do not render the Allure report
  -h, --help           this text

Exit codes: 0 every verdict passed, 1 a verdict failed, 2 a usage error or a selection that matches nothing.`;

async function certify(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    profile: { type: 'string', short: 'p', multiple: true },
    tags: { type: 'string', short: 't' },
    report: { type: 'boolean', default: true },
  });
  if (values.help) {
    console.log(HELP);
    return EXIT.passed;
  }
  const profiles = values.profile ?? [];
  const unknown = profiles.filter((p) => !(PROFILES as readonly string[]).includes(p));
  if (unknown.length > 0) throw new UsageError(`unknown profile ${unknown.join(', ')}; the profiles are ${PROFILES.join(', ')}`);
  let tags = values.tags;
  if (profiles.length > 0) {
    const byProfile = profiles.map((p) => `@profile:${p}`).join(' or ');
    tags = tags ? `(${tags}) and (${byProfile})` : byProfile;
  }
  await rm(RESULTS, { recursive: true, force: true });
  await mkdir(RESULTS, { recursive: true });
  const run = await runFeatures({ profile: 'certify', tags });
  if (run.selected === 0) {
    console.error(`no scenario matches the selection ${tags ?? ''}: nothing was run`);
    return EXIT.usage;
  }
  const rendered = values.report ? await renderReport() : EXIT.passed;
  if (rendered !== EXIT.passed) return rendered;
  return run.success ? EXIT.passed : EXIT.failed;
}

/** The `certify` command. */
export const certifyCommand: Command = { name: 'certify', summary: 'certify the built-in service layer against the built-in mock OP', help: HELP, run: certify };

/**
 * `oidc-harness certify-rp`: certifies an RP that nobody here wrote, in any language, against the
 * built-in mock OP on a real server: a verdict line per test as it runs, a table per profile,
 * reports/summary.json, reports/junit.xml, reports/allure-results and the rendered report.
 *
 * @module
 */
import { join } from 'node:path';
import { clearResults } from '../../report/results-folder.js';
import { PROFILE_NAMES, profileTable, runPassed, verdictLine, writeJunit, writeSummary } from '../../mock-op/index.js';
import { EXIT, parseCommandArgs, parseJobs, REPORTS, RESULTS, startReport, UsageError, version, type Command } from '../command.js';

const HELP = `Usage: oidc-harness certify-rp --config FILE [--profile NAME]... [--tags EXPR] [--jobs N] [--tls] [--public-base URL] [--port N] [--no-report]

Certifies the RP that FILE describes against the built-in mock OP, which misbehaves as the OpenID
Foundation's RP certification tests do. For each test the harness registers a client at the test's
own issuer (or lets the RP register itself), starts the RP when FILE says how, drives it (a command
run to its end, or Chromium through its pages) and judges it from both sides: what the RP said and
what the OP saw.

Options:
  -c, --config FILE       the RP's configuration (see examples/*/certify-rp.json)
  -p, --profile NAME      only this profile (repeat for several), instead of FILE's:
                          ${Object.values(PROFILE_NAMES).join(', ')}
  -t, --tags EXPR         only the tests a tag expression selects: @<test id>, @profile:<name>,
                          @response_type:<type with + for spaces>, e.g. "not @oidcc-client-test-idtoken-sig-none"
  -j, --jobs N            run N tests at once (1 to 8; default FILE's "jobs", else 1): for an RP
                          that keeps no port or file of its own between tests
      --tls               serve the OP over https with a certificate authority made for the run
                          (its PEM in {ca_file} and OIDC_CA_FILE; NODE_EXTRA_CA_CERTS is set for the RP)
      --public-base URL   the base URL the RP reaches the OP at (a proxy, a container network)
      --port N            the OP's port (default: a free one)
      --no-report         do not render the Allure report
  -h, --help              this text

Exit codes: 0 every test passed or was skipped, 1 a test failed or was inconclusive,
2 a usage or configuration error, or a selection that matches no test.`;

async function certifyRp(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    config: { type: 'string', short: 'c' },
    profile: { type: 'string', short: 'p', multiple: true },
    tags: { type: 'string', short: 't' },
    tls: { type: 'boolean' },
    'public-base': { type: 'string' },
    port: { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    report: { type: 'boolean', default: true },
  });
  if (values.help) {
    console.log(HELP);
    return EXIT.passed;
  }
  if (!values.config) throw new UsageError('needs --config FILE (see examples/*/certify-rp.json)');
  const profiles = values.profile ?? [];
  const unknown = profiles.filter((p) => !Object.values(PROFILE_NAMES).includes(p));
  if (unknown.length > 0) throw new UsageError(`unknown profile ${unknown.join(', ')}; the profiles are ${Object.values(PROFILE_NAMES).join(', ')}`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!/^\d+$/.test(values.port!) || port > 65535)) throw new UsageError(`--port must be a port number, not ${JSON.stringify(values.port)}`);
  const jobs = parseJobs(values.jobs);
  if (values['public-base'] !== undefined && !URL.canParse(values['public-base'])) throw new UsageError(`--public-base must be a URL, not ${JSON.stringify(values['public-base'])}`);

  const { loadCertifyRpConfig, CertifyRpConfigError } = await import('../../mock-op/certify-rp/config.js');
  const { certifyRp: run, MachineError, NothingSelectedError } = await import('../../mock-op/certify-rp/run.js');
  const { AllureResults } = await import('../../mock-op/certify-rp/allure-results.js');
  let config;
  try {
    config = await loadCertifyRpConfig(values.config);
  } catch (error) {
    if (!(error instanceof CertifyRpConfigError)) throw error;
    console.error(error.message);
    return EXIT.usage;
  }
  clearResults(RESULTS);
  // Allure loads, and reads each test's results, while the tests run.
  const report = values.report ? await startReport() : undefined;
  const allure = new AllureResults(RESULTS);
  const pending: Array<Promise<void>> = [];
  let outcome;
  try {
    outcome = await run({
      config,
      profiles,
      tags: values.tags,
      tls: values.tls,
      publicBase: values['public-base'],
      port,
      jobs,
      onResult: (result, detail) => {
        console.log(verdictLine(result));
        pending.push(allure.write(result, detail));
      },
    });
  } catch (error) {
    report?.abandon();
    if (error instanceof NothingSelectedError) {
      console.error(`${error.message}: nothing was run`);
      return EXIT.usage;
    }
    if (error instanceof MachineError) {
      console.error(error.message);
      return EXIT.usage;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`the OP's port ${port} is already in use: choose another with --port, or leave it out`);
    throw error;
  }
  try {
    await Promise.all(pending);
    await allure.close();
  } catch (error) {
    report?.abandon();
    throw error;
  }
  const { results } = outcome;
  process.stdout.write(profileTable(results));
  const info = { started: outcome.started, finished: outcome.finished, node: process.version, op: outcome.op, rp: config.name, harness: version() };
  writeSummary(join(REPORTS, 'summary.json'), info, results);
  writeJunit(join(REPORTS, 'junit.xml'), `oidc-harness certify-rp: ${config.name}`, results);
  const rendered = report === undefined ? EXIT.passed : await report.finish();
  if (rendered !== EXIT.passed) return rendered;
  return runPassed(results) ? EXIT.passed : EXIT.failed;
}

/** The `certify-rp` command. */
export const certifyRpCommand: Command = { name: 'certify-rp', summary: 'certify an RP of any language against the built-in mock OP', help: HELP, run: certifyRp };

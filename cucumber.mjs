// Cucumber configuration.
//
// The step definitions and the verdict formatter are the compiled JavaScript in dist/ when the
// oidc-harness command runs compiled (OIDC_HARNESS_COMPILED=1: an installed package, or a checkout
// built with `npm run build`), else the TypeScript sources through tsx, registered here before
// Cucumber loads anything (its own `loader` option does not work with tsx).
//
// Reports go to $OIDC_HARNESS_REPORTS (set by the command: `reports/` in the folder it runs in),
// else to reports/.
const compiled = process.env.OIDC_HARNESS_COMPILED === '1';
if (!compiled) (await import('tsx/esm/api')).register();

const reports = process.env.OIDC_HARNESS_REPORTS || 'reports';
const { harnessResultsWriter } = await import(compiled ? './dist/steps/support/allure-writer.js' : './steps/support/allure-writer.ts');
const code = compiled
  ? { import: ['dist/steps/support/**/*.js', 'dist/steps/**/*.steps.js'], verdicts: './dist/steps/formatters/verdict-formatter.js', live: './dist/steps/formatters/live-formatter.js' }
  : { import: ['steps/support/register-tsx.mjs', 'steps/support/**/*.ts', 'steps/**/*.steps.ts'], verdicts: './steps/formatters/verdict-formatter.ts', live: './steps/formatters/live-formatter.ts' };
const allure = ['allure-cucumberjs/reporter', `${reports}/allure-reporter.log`];

const common = {
  import: code.import,
  format: ['summary', allure, [code.verdicts, `${reports}/verdicts.log`]],
  formatOptions: {
    resultsDir: `${reports}/allure-results`,
    // Each result written once, off the main thread, without allure-js-commons' per-file fsync; the
    // verdict attachment is for the verdict formatter, not for the report.
    writer: harnessResultsWriter(`${reports}/allure-results`),
    summaryPath: `${reports}/summary.json`,
    junitPath: `${reports}/junit.xml`,
    labels: [
      { pattern: [/^@profile:(.*)$/], name: 'suite' },
      { pattern: [/^@(oidcc-client-test-.*)$/], name: 'tag' },
    ],
  },
};

/**
 * Every feature: the oidcservice documentation's conversation, the certification (mock OP) and the
 * real-OP features (local oidc-provider). No `paths` here: Cucumber's default is every feature
 * under features/, and a path (or `path:line`) on the command line then runs just that.
 */
export default { ...common };

/** The certification run: verdicts on the console as they come, the rest to files. */
export const certify = {
  ...common,
  paths: ['features/certification/**/*.feature'],
  format: [code.verdicts, allure],
};

/**
 * A run against a live provider: the scenarios and probes of features/real-op, the live formatter
 * on the console (a line per scenario as it starts and ends, then verdicts, totals, reasons and
 * interop findings). Nothing here writes into reports/: `oidc-harness live` adds the Allure
 * reporter and the formatter's files under reports/live/<provider>/, so a live run never touches
 * the certification's reports.
 */
export const live = {
  import: code.import,
  // The scenarios first, then the probes.
  paths: ['features/real-op/real-op.feature', 'features/real-op/probes.feature'],
  format: [code.live],
  formatOptions: { labels: common.formatOptions.labels },
};

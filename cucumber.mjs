// Cucumber configuration. The first import registers tsx so that the TypeScript step files load
// (STACK.md: Cucumber's own `loader` option does not work with tsx).
const common = {
  import: ['steps/support/register-tsx.mjs', 'steps/support/**/*.ts', 'steps/**/*.steps.ts'],
  format: [
    'summary',
    ['allure-cucumberjs/reporter', 'reports/allure-reporter.log'],
    ['./steps/formatters/verdict-formatter.mjs', 'reports/verdicts.log'],
  ],
  formatOptions: {
    resultsDir: 'reports/allure-results',
    labels: [
      { pattern: [/^@profile:(.*)$/], name: 'suite' },
      { pattern: [/^@(oidcc-client-test-.*)$/], name: 'tag' },
    ],
  },
};

/** Every feature: the seed's conversation, the certification (mock OP) and the real-OP features (local oidc-provider). */
export default { ...common, paths: ['features/**/*.feature'] };

/** The certification run: verdicts on the console as they come, the rest to files. */
export const certify = {
  ...common,
  paths: ['features/certification/**/*.feature'],
  format: [
    './steps/formatters/verdict-formatter.mjs',
    ['allure-cucumberjs/reporter', 'reports/allure-reporter.log'],
    'junit:reports/junit.xml',
  ],
};

/**
 * A run against a live provider: the scenarios and probes of features/real-op, the live formatter
 * on the console (a line per scenario as it starts and ends, then verdicts, totals, reasons and
 * interop findings). Nothing here writes into reports/: `oidc-harness live` adds the Allure
 * reporter and the formatter's files under reports/live/<provider>/, so a live run never touches
 * the certification's reports.
 */
export const live = {
  import: common.import,
  // The scenarios first, then the probes.
  paths: ['features/real-op/real-op.feature', 'features/real-op/probes.feature'],
  format: ['./steps/formatters/live-formatter.mjs'],
  formatOptions: { labels: common.formatOptions.labels },
};

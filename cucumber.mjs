// Cucumber configuration. The first import registers tsx so that the TypeScript step files load
// (STACK.md: Cucumber's own `loader` option does not work with tsx).
const common = {
  import: ['steps/support/register-tsx.mjs', 'steps/support/**/*.ts', 'steps/**/*.steps.ts'],
  paths: ['features/**/*.feature'],
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

export default { ...common };

/** The certification run: verdicts on the console as they come, the rest to files. */
export const certify = {
  ...common,
  format: [
    './steps/formatters/verdict-formatter.mjs',
    ['allure-cucumberjs/reporter', 'reports/allure-reporter.log'],
    'junit:reports/junit.xml',
  ],
};

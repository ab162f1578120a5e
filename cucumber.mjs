// Cucumber configuration. tsx is registered here, before Cucumber loads anything, so that the
// TypeScript formatter, support and step files load (Cucumber's own `loader` option does not work
// with tsx); the first import registers it again for runs that do not read this file first.
import { register } from 'tsx/esm/api';

register();

const common = {
  import: ['steps/support/register-tsx.mjs', 'steps/support/**/*.ts', 'steps/**/*.steps.ts'],
  format: [
    'summary',
    ['allure-cucumberjs/reporter', 'reports/allure-reporter.log'],
    ['./steps/formatters/verdict-formatter.ts', 'reports/verdicts.log'],
  ],
  formatOptions: {
    resultsDir: 'reports/allure-results',
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
  format: [
    './steps/formatters/verdict-formatter.ts',
    ['allure-cucumberjs/reporter', 'reports/allure-reporter.log'],
  ],
};

/** A run against a live provider: progress on the console (logins take seconds), the rest to files. */
export const live = {
  ...common,
  paths: ['features/real-op/**/*.feature'],
  formatOptions: { ...common.formatOptions, announce: true, op: 'live provider' },
  format: [
    './steps/formatters/verdict-formatter.ts',
    ['allure-cucumberjs/reporter', 'reports/allure-reporter.log'],
    'junit:reports/junit.xml',
  ],
};

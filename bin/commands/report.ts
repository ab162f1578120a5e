/**
 * `oidc-harness report`: renders the last run's Allure results again.
 *
 * @module
 */
import { EXIT, parseCommandArgs, renderReport, type Command } from '../command.js';

const HELP = `Usage: oidc-harness report

Renders reports/allure-results into reports/allure-report (Allure 3, no Java).`;

/** The `report` command. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'render the Allure results of the last run',
  help: HELP,
  async run(args) {
    const { values } = parseCommandArgs(args, {});
    if (values.help) {
      console.log(HELP);
      return EXIT.passed;
    }
    return renderReport();
  },
};

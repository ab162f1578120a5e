/**
 * Allure 3's configuration for every report of oidc-harness: `certify`, `certify-rp`, `live` and
 * `report` render through it (bin/command.ts `renderReport`), and so does
 * `npx allure generate reports/allure-results -o reports/allure-report` by hand.
 *
 * - One self-contained `index.html` that opens from disk, with no analytics and no request beyond
 *   itself (report/allure-offline-plugin.mjs), titled by the run (`executor.json`).
 * - The tree by profile (`parentSuite`), then response type (`subSuite`); scenarios that are no
 *   certification test are filed under their feature.
 * - Categories by kind of verdict, each failed or inconclusive one grouped by the check the test
 *   is about (`check` label). Allure 2 reads the same categories, matched by status and message,
 *   from `categories.json` (report/categories.ts).
 */
import { fileURLToPath } from 'node:url';

/** @type {import('allure').AllureConfig} */
export default {
  plugins: {
    awesome: {
      import: fileURLToPath(new URL('./report/allure-offline-plugin.mjs', import.meta.url)),
      options: { groupBy: ['parentSuite', 'subSuite'], stepTreeExpansion: 'expanded' },
    },
  },
  categories: [
    { name: 'Interop findings', matchers: { statuses: ['broken'], message: /^Interop finding/ } },
    { name: 'Failed', matchers: [{ labels: { verdict: /^failed$/ } }, { statuses: ['failed'] }], groupBy: [{ label: 'check' }] },
    { name: 'Inconclusive: the RP never met the test', matchers: [{ labels: { verdict: /^inconclusive$/ } }, { statuses: ['broken'], message: /\binconclusive\b/ }], groupBy: [{ label: 'check' }] },
    { name: 'Broken: the harness failed', matchers: { statuses: ['broken'] } },
  ],
};

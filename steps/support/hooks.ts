import { After, AfterAll, BeforeStep, setDefaultTimeout } from '@cucumber/cucumber';
import { findInteropIssues } from '../../src/index.js';
import { noteFindings, writeFindingsReport } from './findings-report.js';
import { recordSecrets } from './secret-ledger.js';
import { closeMswServer, resetHandlers } from './msw-server.js';
import { closeLocalOp } from './targets/real-target.js';
import { closeRealRun } from './targets/real-run.js';
import type { HarnessWorld } from './world.js';

// A real browser login against a live provider may take its time; the in-process runs take ms.
setDefaultTimeout(60_000);

BeforeStep(async function (this: HarnessWorld, { pickleStep }) {
  // Restarts the RP when the scenario asks for it. "Action" steps are the When steps.
  if (this.restartsBetweenSteps && pickleStep.type === 'Action') await this.restart();
});

After({ name: 'report what a real OP does that departs from the specifications' }, async function (this: HarnessWorld, { pickle }) {
  const target = this.cert?.target;
  if (!target || target.kind === 'mock') return;
  const findings = findInteropIssues(this.exchanges.filter((e) => e.request.url.startsWith(new URL(target.issuer).origin)));
  if (findings.length === 0) return;
  noteFindings(findings, pickle.name, `${target.kind} OP ${target.issuer}`);
  await this.attach(JSON.stringify(findings, null, 2), { mediaType: 'application/json', fileName: 'interop findings' });
});

After({ name: 'release the scenario\'s RP, store and mock OP' }, async function (this: HarnessWorld) {
  resetHandlers();
  await this.dispose();
});

// Defined after the release hook so that it runs before it (Cucumber runs After hooks in reverse).
After({ name: 'note the secrets the scenario handled, when a ledger is asked for' }, async function (this: HarnessWorld) {
  await recordSecrets(this);
});

AfterAll({ name: 'stop the mock OP, the local OP, the browser; write the interop findings' }, async function () {
  closeMswServer();
  await closeRealRun();
  await closeLocalOp();
  await writeFindingsReport(`${process.env.OIDC_HARNESS_REPORTS || 'reports'}/allure-results`);
});

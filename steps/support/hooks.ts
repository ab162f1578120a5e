import { After, AfterAll, BeforeStep, setDefaultTimeout } from '@cucumber/cucumber';
import { attachFindings, noteFindings, scenarioFindings, writeFindingsAttachment } from './targets/interop-findings.js';
import { LiveScenario } from './targets/live-scenario.js';
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

After({ name: 'report what a real provider does that departs from the specifications' }, async function (this: HarnessWorld, { pickle }) {
  const scenario = LiveScenario.of(this);
  if (!scenario) return;
  const metadata = await scenario.metadata().catch(() => undefined);
  const issuer = metadata?.issuer ?? scenario.target.issuer;
  if (issuer === undefined) return;
  const findings = scenarioFindings(this.exchanges, issuer, metadata?.document, scenario.findings);
  noteFindings(scenario.target.name, pickle.name, findings);
  await attachFindings(this, findings);
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
  // A live run's formatter writes its findings into the live run's own results.
  const parameters = (this as { parameters?: { target?: string } }).parameters;
  if (parameters?.target !== 'live') await writeFindingsAttachment(`${process.env.OIDC_HARNESS_REPORTS || 'reports'}/allure-results`);
});

import { After, AfterAll, BeforeStep, setDefaultTimeout } from '@cucumber/cucumber';
import { closeMswServer, resetHandlers } from './msw-server.js';
import type { HarnessWorld } from './world.js';

setDefaultTimeout(20_000);

BeforeStep(async function (this: HarnessWorld, { pickleStep }) {
  // Restarts the RP when the scenario asks for it. "Action" steps are the When steps.
  if (this.restartsBetweenSteps && pickleStep.type === 'Action') await this.restart();
});

After({ name: 'release the scenario\'s RP, store and mock OP' }, async function (this: HarnessWorld) {
  resetHandlers();
  await this.dispose();
});

AfterAll({ name: 'stop the in-process mock OP server' }, function () {
  closeMswServer();
});

import { Given } from '@cucumber/cucumber';
import { createMockOp } from '../mock-op/index.js';
import { serve } from './support/msw-server.js';
import { sharedOpKeys } from './support/op-keys.js';
import type { HarnessWorld } from './support/world.js';

Given('an OP at {string} that registers new clients as {string}', async function (this: HarnessWorld, issuer: string, clientId: string) {
  this.op = await createMockOp({ issuer, keys: await sharedOpKeys(), clientIds: () => clientId });
  await serve(this.op.handlers);
});

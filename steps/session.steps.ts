import assert from 'node:assert/strict';
import { Then } from '@cucumber/cucumber';
import type { HarnessWorld } from './support/world.js';

Then('the session in the state store holds {string}, {string}, {string}, {string} and {string}', async function (this: HarnessWorld, a: string, b: string, c: string, d: string, e: string) {
  const items = [a, b, c, d, e];
  assert.ok(this.state);
  const { context } = await this.rp();
  const session: Record<string, unknown> = { ...(await context.stateDb.getState(this.state)) };
  for (const item of items) assert.ok(session[item] !== undefined, `the session holds ${item}`);
});

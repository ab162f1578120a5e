import assert from 'node:assert/strict';
import type { CertificationScenario } from './certification.js';
import type { HarnessWorld } from './world.js';

/** The scenario's certification test; a step that needs it fails clearly when the scenario named none. */
export function certification(world: HarnessWorld): CertificationScenario {
  assert.ok(world.cert, 'the scenario names its certification test first ("Given the certification OP runs the test ...")');
  return world.cert;
}

/**
 * The steps of `features/real-op/probes.feature`: each scenario sends the provider one probe of
 * the registry (live/probes/probes.ts) and judges its answer against the probe's clause.
 */
import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import { ProbeSkipped } from '../live/probes/probe-kit.js';
import { probeById, type ProbeDefinition, type ProbeOutcome } from '../live/probes/probes.js';
import { LiveScenario } from './support/targets/live-scenario.js';
import { probeKitFor } from './support/targets/probe-run.js';
import { asVerdict, skipWith } from './support/targets/skip-reason.js';
import type { HarnessWorld } from './support/world.js';

import { PROBE_ATTACHMENT_PREFIX } from './support/targets/live-report.js';

/** A probe may sign in several times. */
const SLOW = { timeout: 180_000 };

const outcomes = new WeakMap<HarnessWorld, { probe: ProbeDefinition; outcome: ProbeOutcome }>();

When('the harness sends the provider the probe {string}', SLOW, async function (this: HarnessWorld, id: string) {
  const scenario = LiveScenario.require(this);
  const probe = probeById(id);
  let outcome: ProbeOutcome;
  try {
    outcome = await probe.run(await probeKitFor(scenario));
  } catch (error) {
    if (error instanceof ProbeSkipped) return skipWith(this, error.message);
    throw asVerdict(error);
  }
  outcomes.set(this, { probe, outcome });
  scenario.findings.push(...outcome.findings);
  const record = { probe: probe.id, sends: probe.sends, demands: probe.demands, clause: probe.clause, passed: outcome.passed, observed: outcome.observed, findings: outcome.findings.map((f) => f.id) };
  await this.attach(JSON.stringify(record, null, 2), { mediaType: 'application/json', fileName: `${PROBE_ATTACHMENT_PREFIX}${probe.id}` });
  return undefined;
});

Then('the provider answered as its clause demands', function (this: HarnessWorld) {
  const sent = outcomes.get(this);
  assert.ok(sent, 'the probe was sent');
  const { probe, outcome } = sent;
  assert.ok(outcome.passed, `${probe.demands} (${probe.clause}); the provider ${outcome.observed}`);
});

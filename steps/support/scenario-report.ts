/**
 * What each scenario's Allure result shows besides its steps. After every step, the exchanges it
 * recorded, one attachment each (see `attachExchanges` in world.ts). At the end of its steps (the
 * last one, or one that did not pass):
 *
 * - a certification scenario's verdict and reason as its description, before what the test makes
 *   the OP do, what a conforming RP does and what this one did, at which check and clause; its
 *   labels for the report's tree (profile, then response type) and categories (verdict, check);
 * - the conversation as a sequence diagram (SVG), the RP's refusal marked with its check;
 * - the labels `rp` and `op` that name the run (see report/run-info.ts), and the parameter `plan`
 *   of a run in another plan than the feature's;
 * - when the steps passed and the verdict did not, the failure (see `concludeVerdict`).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { AfterStep } from '@cucumber/cucumber';
import type { Label } from 'allure-js-commons';
import { attachmentMessage, metadataMessage, sendToAllure } from '../../report/allure-messages.js';
import { nest } from '../../report/conversation.js';
import { refusedCarrier } from '../../report/refusal.js';
import { LIVE_PROVIDER, OP_LABEL, RP_LABEL } from '../../report/run-info.js';
import { sequenceDiagram, type DiagramRefusal } from '../../report/sequence-diagram.js';
import { verdictLabels, verdictMarkdown } from '../../report/verdict-description.js';
import { BUILT_IN, concludeVerdict } from './scenario-verdict.js';
import { LiveScenario } from './targets/live-scenario.js';
import type { HarnessWorld } from './world.js';

/** The names of live providers by configuration file, read once. */
const providerNames = new Map<string, string | undefined>();

/** A live provider's name for reports, from its configuration file (`name`, else its issuer). */
function providerName(file: string): string | undefined {
  if (!providerNames.has(file)) {
    let name: string | undefined;
    try {
      const config = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; issuer?: unknown };
      name = typeof config.name === 'string' ? config.name : typeof config.issuer === 'string' ? config.issuer : undefined;
    } catch {
      name = undefined;
    }
    providerNames.set(file, name);
  }
  return providerNames.get(file);
}

/** The OP a scenario ran against, as the `op` label names it. */
function opOf(world: HarnessWorld): string | undefined {
  const real = LiveScenario.of(world)?.target;
  if (real !== undefined) return real.kind === 'live' ? `${LIVE_PROVIDER}${real.name}` : 'local oidc-provider';
  const target = world.cert?.target;
  if (target === undefined) return world.op === undefined ? undefined : 'mock-op (in-process, MSW)';
  if (target.kind === 'mock') return 'mock-op (in-process, MSW)';
  if (target.kind === 'local') return 'local oidc-provider';
  const file = (world.parameters as { liveConfig?: unknown } | undefined)?.liveConfig;
  return `${LIVE_PROVIDER}${(typeof file === 'string' ? providerName(file) : undefined) ?? target.issuer}`;
}

/** Where and why the RP refused, for the diagram. */
function refusalOf(world: HarnessWorld): DiagramRefusal | undefined {
  const cert = world.cert;
  const rejection = cert?.rejection;
  if (cert === undefined || rejection === undefined) return undefined;
  const clause = (rejection.error as { clause?: string }).clause;
  return {
    after: rejection.exchanges,
    title: `the RP refuses at ${rejection.error.check}${typeof clause === 'string' ? ` (${clause})` : ''}`,
    detail: rejection.error.message,
    carrier: refusedCarrier(cert.target.test?.rejectedAt, cert.settings.responseType),
  };
}

// Attach the step's exchanges; at the end of the steps, the conversation and the verdict. (Step
// hooks have no name: they run as part of their step, and are no fixture of their own in Allure.)
AfterStep(async function (this: HarnessWorld, { pickle, pickleStep, result, gherkinDocument }) {
  await this.attachExchanges();
  const status = result?.status === undefined ? 'FAILED' : String(result.status);
  if (status === 'PASSED' && pickle.steps.at(-1)?.id !== pickleStep.id) return;
  const concluded = concludeVerdict(this, pickle, { status, message: result?.message });
  const op = opOf(this);
  const labels: Label[] = [{ name: RP_LABEL, value: BUILT_IN }, ...(op === undefined ? [] : [{ name: OP_LABEL, value: op }])];
  const feature = gherkinDocument.feature;
  let description: string | undefined;
  if (concluded !== undefined) {
    labels.push(...verdictLabels(concluded.facts));
    const about = feature?.description.trim();
    description = verdictMarkdown(concluded.facts) + (about ? `\n\n---\n\n${about}` : '');
  } else if (feature?.name) {
    labels.push({ name: 'parentSuite', value: feature.name });
  }
  // A second run of a feature in another plan (the Form Post plan reruns Basic, Implicit and
  // Hybrid) is a test of its own in the report, not a retry of the first.
  const parameters = this.plan === undefined ? [] : [{ name: 'plan', value: this.plan }];
  const messages = [metadataMessage({ description, labels, parameters })];
  const conversation = this.conversation();
  if (conversation.length > 0) {
    const refusal = refusalOf(this);
    const svg = sequenceDiagram({
      title: pickle.name,
      nodes: nest(conversation),
      refusal,
      verdict: concluded ? { verdict: concluded.facts.verdict, reason: concluded.facts.reason } : undefined,
    });
    const name = `sequence diagram: ${conversation.length} exchange${conversation.length === 1 ? '' : 's'}${refusal ? `, ${refusal.title}` : ''}`;
    messages.push(attachmentMessage({ name, content: svg, contentType: 'image/svg+xml', fileExtension: '.svg' }));
  }
  await sendToAllure((data, mediaType) => this.attach(data, mediaType), messages);
  if (concluded?.failure) throw concluded.failure;
});

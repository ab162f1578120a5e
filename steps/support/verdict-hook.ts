import { After } from '@cucumber/cucumber';
import { displayId } from '../../mock-op/index.js';
import type { ScenarioVerdict } from '../formatters/verdict-formatter.js';
import { VERDICT_MEDIA_TYPE } from '../formatters/verdict-formatter.js';
import { BUILT_IN, failedForItsVerdict, ownScenario, profileOf, runsCatalogueTest, scenarioJudgement } from './scenario-verdict.js';
import type { HarnessWorld } from './world.js';

After({ name: 'record the certification verdict' }, async function (this: HarnessWorld, { pickle }) {
  // Exchanges recorded after the last step (none, as a rule) still reach the report.
  await this.attachExchanges();
  const cert = this.cert;
  const judgement = scenarioJudgement(this, pickle);
  if (!cert || judgement === undefined) return;
  const { outcome, check } = cert.outcome();
  const catalogue = runsCatalogueTest(this, pickle);
  const record: ScenarioVerdict = {
    test: catalogue ? displayId(cert.test) : ownScenario(this, pickle).test,
    legacy: catalogue ? [...cert.test.legacy] : [],
    profile: profileOf(this, pickle),
    responseType: cert.settings.responseType,
    responseMode: cert.settings.responseMode ?? null,
    expected: catalogue ? cert.test.expected : ownScenario(this, pickle).expected,
    rp: BUILT_IN,
    outcome: outcome === 'rejected' ? 'refused' : outcome === 'accepted' ? 'accepted' : null,
    check: check ?? null,
    title: pickle.name,
    judgement,
  };
  await this.attach(JSON.stringify(record), { mediaType: VERDICT_MEDIA_TYPE, fileName: 'verdict' });
  // The steps passed but the one verdict did not: the scenario fails with its reason, so that the
  // console, JUnit and Allure all say the same (at the end of its steps already, as a rule).
  if ((judgement.verdict === 'failed' || judgement.verdict === 'inconclusive') && !failedForItsVerdict(this)) throw new Error(`the verdict is ${judgement.verdict}: ${judgement.reason}`);
});

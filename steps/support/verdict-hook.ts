import { After } from '@cucumber/cucumber';
import { displayId } from '../../mock-op/index.js';
import type { ScenarioVerdict } from '../formatters/verdict-formatter.js';
import { VERDICT_MEDIA_TYPE } from '../formatters/verdict-formatter.js';
import { BUILT_IN, failedForItsVerdict, profileOf, scenarioJudgement } from './scenario-verdict.js';
import type { HarnessWorld } from './world.js';

After({ name: 'record the certification verdict' }, async function (this: HarnessWorld, { pickle }) {
  // Exchanges recorded after the last step (none, as a rule) still reach the report.
  await this.attachExchanges();
  const cert = this.cert;
  const judgement = scenarioJudgement(this);
  if (!cert || judgement === undefined) return;
  const { outcome, check } = cert.outcome();
  const record: ScenarioVerdict = {
    test: displayId(cert.test),
    legacy: [...cert.test.legacy],
    profile: profileOf(this, pickle),
    responseType: cert.settings.responseType,
    responseMode: cert.settings.responseMode ?? null,
    expected: cert.test.expected,
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

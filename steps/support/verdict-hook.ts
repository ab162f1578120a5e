import { After, Before } from '@cucumber/cucumber';
import { displayId, isFaultTest, judge } from '../../mock-op/index.js';
import type { ScenarioVerdict } from '../formatters/verdict-formatter.js';
import { VERDICT_MEDIA_TYPE } from '../formatters/verdict-formatter.js';
import type { HarnessWorld } from './world.js';

/** The RP a certification scenario certifies. */
const BUILT_IN = 'built-in service layer';

Before({ name: 'note when the scenario started' }, function (this: HarnessWorld) {
  this.startedAt = Date.now();
});

After({ name: 'record the certification verdict' }, async function (this: HarnessWorld, { pickle }) {
  const cert = this.cert;
  // Fault tests (a sick server) are no certification tests: their steps assert the typed error.
  if (!cert?.target.test || isFaultTest(cert.target.test)) return;
  const tags = pickle.tags.map((t) => t.name.slice(1));
  const { outcome, check } = cert.outcome();
  // The one verdict that also judges RPs nobody here wrote; the scenario's steps add the sharper
  // assertion of the named check, and the formatter combines both.
  const judgement = judge(cert.test, cert.evidence());
  const record: ScenarioVerdict = {
    test: displayId(cert.test),
    legacy: [...cert.test.legacy],
    profile: this.plan ?? tags.find((t) => t.startsWith('profile:'))?.slice('profile:'.length) ?? 'unknown',
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
  // console, JUnit and Allure all say the same.
  if (judgement.verdict === 'failed' || judgement.verdict === 'inconclusive') throw new Error(`the verdict is ${judgement.verdict}: ${judgement.reason}`);
});

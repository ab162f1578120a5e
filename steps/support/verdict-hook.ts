import { After, Before } from '@cucumber/cucumber';
import { displayId, isFaultTest, judge, PROFILE_NAMES, type Judgement } from '../../mock-op/index.js';
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
  const profile = this.plan ?? tags.find((t) => t.startsWith('profile:'))?.slice('profile:'.length) ?? 'unknown';
  // A catalogue test gets the one verdict that also judges RPs nobody here wrote, and its steps
  // add the sharper assertion of the named check; the formatter combines both. A scenario of a
  // profile of this project's own (security) is no catalogue test: its steps are its verdict.
  const catalogue = (Object.values(PROFILE_NAMES) as string[]).includes(profile);
  const judgement: Judgement = catalogue
    ? judge(cert.test, cert.evidence())
    : { verdict: 'passed', reason: check ? `the RP refused at ${check}, and the OP saw what the scenario demands` : 'the RP did what the scenario demands' };
  const record: ScenarioVerdict = {
    test: catalogue ? displayId(cert.test) : `${profile}: ${pickle.name}`,
    legacy: catalogue ? [...cert.test.legacy] : [],
    profile,
    responseType: cert.settings.responseType,
    responseMode: cert.settings.responseMode ?? null,
    expected: catalogue ? cert.test.expected : check ? 'reject' : 'accept',
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

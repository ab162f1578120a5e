import { After, Before } from '@cucumber/cucumber';
import type { VerdictRecord } from './certification.js';
import type { HarnessWorld } from './world.js';

/** The media type the verdict formatter reads (steps/formatters/verdict-formatter.mjs). */
const VERDICT_MEDIA_TYPE = 'application/vnd.oidc-harness.verdict+json';

Before({ name: 'note when the scenario started' }, function (this: HarnessWorld) {
  this.startedAt = Date.now();
});

After({ name: 'record the certification verdict' }, async function (this: HarnessWorld, { pickle }) {
  const cert = this.cert;
  if (!cert?.target.test) return;
  const tags = pickle.tags.map((t) => t.name.slice(1));
  const { outcome, check } = cert.outcome();
  const record: VerdictRecord = {
    test: tags.find((t) => t.startsWith('oidcc-client-test')) ?? cert.test.name,
    legacy: tags.filter((t) => t.startsWith('rp-')),
    profile: tags.find((t) => t.startsWith('profile:'))?.slice('profile:'.length) ?? 'unknown',
    responseType: cert.settings.responseType,
    responseMode: cert.settings.responseMode ?? null,
    expected: cert.test.expected,
    outcome,
    check: check ?? null,
  };
  await this.attach(JSON.stringify(record), { mediaType: VERDICT_MEDIA_TYPE, fileName: 'verdict' });
});

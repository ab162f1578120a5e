/**
 * The certification features cover the whole catalogue: every row of RP-TESTS.md runs in every
 * profile and response type the catalogue names, tagged with its ids and its profile, and each
 * scenario asserts the outcome the catalogue gives. Read from the feature files themselves
 * (compiled to pickles as Cucumber compiles them), so a scenario removed or mistagged fails here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import { CONFORMANCE_TESTS, testIds, type ConformanceTest, type Profile } from '../../mock-op/index.js';

const FEATURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'features', 'certification');

interface Run {
  profile: string;
  tags: string[];
  responseType: string;
  text: string;
}

function runs(): Run[] {
  const out: Run[] = [];
  for (const file of readdirSync(FEATURES).filter((f) => f.endsWith('.feature'))) {
    const newId = IdGenerator.uuid();
    const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
    const document = parser.parse(readFileSync(join(FEATURES, file), 'utf8'));
    for (const pickle of compile(document, file, newId)) {
      const tags = pickle.tags.map((t) => t.name.slice(1));
      const text = pickle.steps.map((s) => s.text).join('\n');
      const responseType = /the RP uses the response type "([^"]+)"/.exec(text)?.[1] ?? 'code';
      out.push({ profile: tags.find((t) => t.startsWith('profile:'))?.slice('profile:'.length) ?? '', tags, responseType, text });
    }
  }
  return out;
}

/** The feature of each catalogue profile; FP reruns the B, I and H rows. */
const FEATURE_PROFILE: Record<Profile, string> = {
  B: 'basic', I: 'implicit', H: 'hybrid', FP: 'form-post', CNF: 'config', DYN: 'dynamic', BCL: 'backchannel-logout',
  FCL: 'frontchannel-logout', RPI: 'rp-initiated-logout', SES: 'session-management', '3PI': 'third-party-login',
  RT: 'refresh-token', X: 'comprehensive',
};

/** The response types a profile runs a test with (RP-TESTS.md, "The profile lists"). */
function responseTypes(test: ConformanceTest, profile: Profile): string[] {
  const byProfile: Partial<Record<Profile, readonly string[]>> = {
    B: ['code'],
    I: ['id_token', 'id_token token'],
    H: ['code id_token', 'code token', 'code id_token token'],
  };
  const wanted = byProfile[profile] ?? ['code'];
  return wanted.filter((rt) => (test.responseTypes as readonly string[]).includes(rt));
}

/** Every (profile, response type) in which the catalogue runs a test. */
function placements(test: ConformanceTest): Array<[Profile, string]> {
  const out: Array<[Profile, string]> = [];
  const frontChannel = (['B', 'I', 'H'] as Profile[]).filter((p) => test.profiles.includes(p));
  for (const profile of test.profiles) {
    if (profile === 'FP') continue;
    const types = responseTypes(test, profile);
    for (const rt of types.length > 0 ? types : ['code']) out.push([profile, rt]);
  }
  // Form Post: the B, I and H rows again; the FP-only row in every response type.
  const fpTypes = test.profiles.includes('FP') && frontChannel.length === 0 ? [...test.responseTypes] : frontChannel.flatMap((p) => responseTypes(test, p));
  if (test.profiles.includes('FP') || frontChannel.length > 0) for (const rt of new Set(fpTypes)) out.push(['FP', rt]);
  return out;
}

const all = runs();

describe('the certification features cover the catalogue', () => {
  it('compiles the features into scenarios', () => assert.ok(all.length > 200, `${all.length} scenarios`));

  for (const test of CONFORMANCE_TESTS) {
    const ids = testIds(test);
    const suite = test.suffix === null ? undefined : test.suffix === '' ? 'oidcc-client-test' : `oidcc-client-test-${test.suffix}`;
    for (const [profile, responseType] of placements(test)) {
      it(`${test.name} runs in ${FEATURE_PROFILE[profile]} with ${responseType}`, () => {
        const found = all.filter((r) => r.profile === FEATURE_PROFILE[profile] && r.responseType === responseType && r.tags.some((t) => ids.includes(t)));
        assert.ok(found.length > 0, `no scenario of ${FEATURE_PROFILE[profile]} runs ${test.name} with ${responseType}`);
        for (const run of found) {
          if (suite && test.name !== 'none') assert.ok(run.tags.includes(suite), `tagged @${suite}`);
          if (test.name !== 'none' && test.legacy.length > 0) assert.ok(test.legacy.some((legacy) => run.tags.includes(legacy)), `tagged with an older id: ${test.legacy.join(' or ')}`);
          if (test.expected === 'reject') assert.match(run.text, /the RP (rejects|reports)/, 'a negative scenario asserts the rejection');
          if (test.expected === 'either') assert.match(run.text, /both pass/, 'the scenario says both outcomes pass');
          if (test.expected === 'accept') assert.doesNotMatch(run.text, /the RP rejects/, 'a positive scenario expects no rejection');
        }
      });
    }
  }
});

/**
 * The certification features cover the whole catalogue: every test of the catalogue runs in every
 * profile and response type the catalogue names, tagged with its ids and its profile, and each
 * scenario asserts the outcome the catalogue gives. Read from the feature files themselves
 * (compiled to pickles as Cucumber compiles them), so a scenario removed or mistagged fails here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import { CONFORMANCE_TESTS, plans, suiteId, testIds, type ConformanceTest } from '../../mock-op/index.js';
import { ROOT } from '../fixtures/root.js';

const FEATURES = join(ROOT, 'features', 'certification');

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

/**
 * Where each test of each plan runs: in the feature of its profile with the plan's response type;
 * the Form Post plan's Basic, Implicit and Hybrid tests in those features, which `certify` runs a
 * second time with response_mode=form_post.
 */
function placements(): Array<{ test: ConformanceTest; features: string[]; plan: string; responseType: string }> {
  const out: Array<{ test: ConformanceTest; features: string[]; plan: string; responseType: string }> = [];
  for (const plan of plans()) {
    for (const test of plan.tests) {
      const rerun = plan.profile === 'FP' && test.profiles.some((p) => p === 'B' || p === 'I' || p === 'H');
      out.push({ test, plan: plan.name, responseType: plan.responseType, features: rerun ? ['basic', 'implicit', 'hybrid'] : [plan.name] });
    }
  }
  return out;
}

const all = runs();

describe('the certification features cover the catalogue', () => {
  it('compiles the features into scenarios', () => assert.ok(all.length > 140, `${all.length} scenarios`));

  it('places every test of the catalogue in some plan', () => {
    const placed = new Set(placements().map((p) => p.test));
    assert.deepEqual(CONFORMANCE_TESTS.filter((t) => !placed.has(t)).map((t) => t.name), []);
  });

  for (const { test, features, plan, responseType } of placements()) {
    const ids = testIds(test);
    const suite = suiteId(test);
    it(`${test.name} runs in the ${plan} plan with ${responseType}`, () => {
      const found = all.filter((r) => features.includes(r.profile) && r.responseType === responseType && r.tags.some((t) => ids.includes(t)));
      assert.ok(found.length > 0, `no scenario of ${features.join(' or ')} runs ${test.name} with ${responseType}`);
      for (const run of found) {
        if (suite && test.name !== 'none') assert.ok(run.tags.includes(suite), `tagged @${suite}`);
        if (test.name !== 'none' && test.legacy.length > 0) assert.ok(test.legacy.some((legacy) => run.tags.includes(legacy)), `tagged with an older id: ${test.legacy.join(' or ')}`);
        if (test.expected === 'reject') assert.match(run.text, /the RP (rejects|reports)/, 'a negative scenario asserts the rejection');
        if (test.expected === 'either') assert.match(run.text, /both pass/, 'the scenario says both outcomes pass');
        if (test.expected === 'accept') assert.doesNotMatch(run.text, /the RP rejects/, 'a positive scenario expects no rejection');
      }
    });
  }
});

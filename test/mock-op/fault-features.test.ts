/**
 * The fault feature (features/faults/faults.feature) covers every fault test: a scenario tagged
 * with the fault's id runs it and asserts the failure its row gives (error class and check, the
 * status or media type) and what the RP still knows. Read from the feature itself, compiled to
 * pickles as Cucumber compiles them.
 *
 * Run: node --import tsx --test test/mock-op/fault-features.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import { FAULT_TESTS } from '../../mock-op/index.js';
import { ROOT } from '../fixtures/root.js';

const FEATURE = join(ROOT, 'features', 'faults', 'faults.feature');

/** The scenarios of the fault feature: tags (without `@`) and step texts. */
function scenarios(): Array<{ tags: string[]; text: string }> {
  const newId = IdGenerator.uuid();
  const document = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(readFileSync(FEATURE, 'utf8'));
  return compile(document, 'faults.feature', newId).map((pickle) => ({
    tags: pickle.tags.map((t) => t.name.slice(1)),
    text: pickle.steps.map((s) => s.text).join('\n'),
  }));
}

const all = scenarios();

describe('the fault feature covers every fault test', () => {
  it('tags every scenario @faults and with one fault id', () => {
    for (const scenario of all) {
      assert.ok(scenario.tags.includes('faults'));
      assert.equal(scenario.tags.filter((t) => t.startsWith('fault-')).length, 1, scenario.text);
    }
  });

  for (const test of FAULT_TESTS) {
    it(`${test.name} runs and asserts ${test.failure.error} ${test.failure.check}`, () => {
      const found = all.filter((s) => s.tags.includes(test.name));
      assert.equal(found.length, 1, `one scenario tagged @${test.name}`);
      const { text } = found[0]!;
      assert.ok(text.includes(`the certification OP runs the test "${test.name}"`));
      assert.match(text, /the RP gives up on an answer after \d+ ms/, 'the RP has a deadline');
      const kind = test.failure.error === 'TransportError' ? 'transport' : 'response';
      assert.ok(text.includes(`the RP fails with a ${kind} error "${test.failure.check}"`), `asserts ${test.failure.check}`);
      if (test.failure.status !== undefined) assert.ok(text.includes(`for the HTTP status ${test.failure.status}`));
      if (test.failure.contentType !== undefined) assert.ok(text.includes(`for the content type "${test.failure.contentType}"`));
      if (test.failure.check === 'transportSize') assert.match(text, /the RP reads answers of at most \d+ bytes/);
      const unchanged = test.endpoint === 'discovery' ? "the RP's knowledge of the OP is unchanged" : "the RP's session keeps its authorization response and holds no tokens";
      assert.ok(text.includes(unchanged), `asserts: ${unchanged}`);
    });
  }
});

/**
 * docs/rp-tests.md is the catalogue as the test definitions give it: regenerate it with
 * `npm run docs` when a definition changes.
 *
 * Run: node --import tsx --test test/docs/rp-tests.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { catalogueMarkdown } from '../../docs/rp-tests.generate.js';
import { ROOT } from '../fixtures/root.js';

it('docs/rp-tests.md is up to date with the test definitions (npm run docs)', () => {
  assert.equal(readFileSync(join(ROOT, 'docs', 'rp-tests.md'), 'utf8'), catalogueMarkdown());
});

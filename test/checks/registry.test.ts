/**
 * The registry of checks (src/checks/registry.ts): every name the service layer throws is in it,
 * every entry has a clause and a description and is raised somewhere, the features' phrases are
 * unique, and the harness's reason table is the registry's.
 *
 * Run: node --import tsx --test test/checks/registry.test.ts
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { CHECK_NAMES, CHECKS, checkEntry, isCheckName, reasonPhrases, RP_POLICY, type CheckEntry } from '../../src/checks/registry.js';
import { CONFORMANCE_TESTS, FAULT_TESTS } from '../../mock-op/index.js';
import { REASON_PATTERN, REASONS } from '../../steps/support/reasons.js';
import { ROOT } from '../fixtures/root.js';

const SRC = join(ROOT, 'src');

/** Every TypeScript file under src, with its text. */
function sources(dir = SRC): Array<{ path: string; text: string }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [{ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }] : [];
  });
}

const FILES = sources();
const REGISTRY = 'src/checks/registry.ts';

/** The first argument of every `new XxxError(` in the sources (the check name), with where it is. */
function thrownNames(): Array<{ where: string; argument: string }> {
  const found: Array<{ where: string; argument: string }> = [];
  for (const { path, text } of FILES) {
    for (const match of text.matchAll(/new (\w*Error)\(\s*([^,)]+)/g)) {
      const [, type, argument] = match;
      // Errors that are not OidcErrors: the built-in ones and the redacted copy of a Redis failure.
      if (type === 'Error' || type === 'TypeError' || type === 'RangeError' || type === 'AggregateError') continue;
      found.push({ where: `${path}: new ${type}(${argument!.trim()}`, argument: argument!.trim() });
    }
  }
  return found;
}

describe('the registry of checks', () => {
  it('names every check one way: camelCase letters only, no dots', () => {
    for (const name of CHECK_NAMES) assert.match(name, /^[a-z][a-zA-Z]*$/, name);
  });

  it('gives every entry a clause and a one-line description', () => {
    for (const name of CHECK_NAMES) {
      const entry: CheckEntry = checkEntry(name);
      assert.ok(entry.clause.length > 0, `${name}: clause`);
      assert.ok(entry.clause === RP_POLICY || /^(OIDC|RFC|FAPI|RP policy)/.test(entry.clause), `${name}: clause names a specification: ${entry.clause}`);
      assert.ok(entry.description.length > 10 && !entry.description.includes('\n'), `${name}: one-line description`);
    }
  });

  it('knows every name thrown anywhere in src: each error is built with a literal name of the registry or a CheckName parameter', () => {
    const problems: string[] = [];
    for (const { where, argument } of thrownNames()) {
      const literal = /^'([^']*)'$/.exec(argument);
      if (literal) {
        if (!isCheckName(literal[1])) problems.push(`${where}: not in the registry`);
      } else if (!/^[a-zA-Z_]+$/.test(argument)) {
        problems.push(`${where}: a name built at run time`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('has no entry that nothing raises', () => {
    const elsewhere = FILES.filter((f) => f.path !== REGISTRY).map((f) => f.text).join('\n');
    const unused = CHECK_NAMES.filter((name) => !elsewhere.includes(`'${name}'`));
    assert.deepEqual(unused, []);
  });

  it('keeps the names the certification features and the mock OP use', () => {
    for (const test of CONFORMANCE_TESTS) if (test.check !== undefined) assert.ok(isCheckName(test.check), `${test.name}: ${test.check}`);
    for (const test of FAULT_TESTS) {
      for (const check of [test.failure.check, test.failure.overSocket, test.failure.following]) {
        if (check !== undefined) assert.ok(isCheckName(check), `${test.name}: ${check}`);
      }
    }
    for (const name of ['checkIssuer', 'checkSubject', 'checkAudience', 'checkIssuedAt', 'selectKey', 'checkSignature', 'checkAlgorithm', 'checkAtHash', 'checkCHash', 'checkUserInfoSubject', 'checkNonce', 'checkDiscoveryIssuer', 'checkWebFingerLink', 'checkSameSubject', 'checkLogoutEvent', 'checkLogoutNonce', 'checkLogoutState', 'checkErrorResponse']) {
      assert.ok(isCheckName(name), name);
    }
  });

  it('gives each phrase to one check only', () => {
    const all = CHECK_NAMES.flatMap((name) => (CHECKS[name] as CheckEntry).because ?? []);
    assert.equal(new Set(all).size, all.length, 'no phrase twice');
    assert.equal(reasonPhrases().size, all.length);
  });

  it('is the table the features read: REASONS and REASON_PATTERN', () => {
    assert.deepEqual(REASONS, Object.fromEntries(reasonPhrases()));
    assert.equal(REASONS["its issuer is not the OP's"], 'checkIssuer');
    assert.equal(REASONS['it names no key and the OP has several'], 'selectKey');
    assert.equal(REASONS['its state is not one the RP sent'], 'checkLogoutState');
    for (const phrase of Object.keys(REASONS)) assert.equal(REASON_PATTERN.exec(phrase)?.[0], phrase, phrase);
  });

  it('puts the clause into every error and its JSON view', async () => {
    const { VerificationError } = await import('../../src/errors.js');
    const error = new VerificationError('checkResponseIssuer', 'another issuer');
    assert.equal(error.clause, 'RFC 9207, 2.4');
    assert.equal(error.toJSON()['clause'], 'RFC 9207, 2.4');
  });
});

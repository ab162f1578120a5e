/**
 * `certify --jobs N`: the certification on N worker processes gives the verdicts of one process,
 * in the same order (summary.json, JUnit), every scenario once, and the same Allure results; the
 * report, whose renderer loads while the scenarios run, is written. A bad `--jobs` is exit 2
 * naming it; a selection that matches nothing is exit 2 and leaves no report behind.
 *
 * Run: node --import tsx --test test/certify-rp/certify-jobs.e2e.ts
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestResult } from '../../mock-op/index.js';
import { runCli, type CliRun } from '../fixtures/cli.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidc-harness-certify-jobs-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `oidc-harness certify ARGS` with its reports in `reports`. */
function certify(reports: string, args: string[]): Promise<CliRun> {
  return runCli(['certify', ...args], reports);
}

/** What a result says, in the order summary.json gives them. */
const said = (results: readonly TestResult[]): string[] => results.map((r) => `${r.profile} ${r.test} ${r.responseType} ${r.responseMode ?? '-'}: ${r.verdict} ${r.check ?? ''}`);

async function summary(reports: string): Promise<TestResult[]> {
  return (JSON.parse(await readFile(join(reports, 'summary.json'), 'utf8')) as { results: TestResult[] }).results;
}

describe('certify --jobs', () => {
  // Basic, and the Form Post plan: two passes, the second rerunning Basic, Implicit and Hybrid.
  const selection = ['--profile', 'basic', '--profile', 'form-post'];

  it('on two worker processes gives the verdicts of one, in the same order, each scenario once, and writes the report', async () => {
    const one = join(dir, 'one');
    const two = join(dir, 'two');
    const single = await certify(one, [...selection, '--jobs', '1', '--no-report']);
    assert.equal(single.code, 0, single.stderr.slice(-2000));
    const double = await certify(two, [...selection, '--jobs', '2']);
    assert.equal(double.code, 0, double.stderr.slice(-2000));

    const expected = said(await summary(one));
    assert.ok(expected.length > 90, `both passes ran (${expected.length} results)`);
    assert.deepEqual(said(await summary(two)), expected, 'the same verdicts, in the plan order');
    assert.equal(new Set(expected).size, expected.length, 'no scenario ran twice');
    const lines = double.stdout.split('\n').filter((line) => /^(PASSED|FAILED|SKIPPED|INCONCLUSIVE)\s/.test(line));
    assert.equal(lines.length, expected.length, 'a verdict line per scenario, from the two workers together');

    const junit = await readFile(join(two, 'junit.xml'), 'utf8');
    assert.equal((junit.match(/<testcase\b/g) ?? []).length, expected.length);
    const resultFiles = async (reports: string): Promise<number> => (await readdir(join(reports, 'allure-results'))).filter((f) => f.endsWith('-result.json')).length;
    assert.equal(await resultFiles(two), await resultFiles(one), 'an Allure result per scenario, as with one process');
    assert.ok(existsSync(join(two, 'allure-report', 'index.html')), 'the report was rendered');
    assert.match(double.stdout, /report: .*allure-report[\\/]index\.html/);
    // The run names itself in its results, for Allure 3 and allure-commandline alike.
    assert.equal(JSON.parse(await readFile(join(two, 'allure-results', 'executor.json'), 'utf8')).reportName, 'oidc-harness certify: built-in service layer');
    assert.match(await readFile(join(two, 'allure-results', 'environment.properties'), 'utf8'), /^oidc-harness=.+\nNode\.js=v\d+.*\nOP=mock-op \(in-process, MSW\)\nRP=built-in service layer\n$/);
  });

  it('refuses a --jobs that is not a whole number from 1 to 8, naming it (exit 2)', async () => {
    for (const jobs of ['0', '9', 'two']) {
      const { code, stderr } = await certify(join(dir, `bad-${jobs}`), ['--jobs', jobs, '--no-report']);
      assert.equal(code, 2, `--jobs ${jobs}`);
      assert.match(stderr, /--jobs must be a whole number from 1 to 8/);
    }
  });

  it('on a selection that matches nothing: exit 2, nothing run, and no report left behind', async () => {
    const reports = join(dir, 'nothing');
    const { code, stderr } = await certify(reports, ['--tags', '@no-such-tag', '--jobs', '2']);
    assert.equal(code, 2);
    assert.match(stderr, /no scenario matches the selection @no-such-tag/);
    assert.ok(!existsSync(join(reports, 'allure-report', 'index.html')), 'the renderer was told to stop');
  });
});

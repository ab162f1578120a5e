/** What a live run reports: findings once per provider and rule, the closing text, summary.json and JUnit. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/interop/finding.js';
import { writeFindingsAttachment } from '../../steps/support/targets/interop-findings.js';
import { closingText, gatherFindings, junitOf, summaryOf, type LiveRun } from '../../steps/support/targets/live-report.js';

const status: Finding = { id: 'registration.status', title: 'the registration endpoint answered a successful registration with HTTP 200, not 201 Created', clause: 'RFC 7591, 3.2.1', url: 'https://op.example/register', requirement: 'MUST' };
const challenge: Finding = { id: 'userinfo.missing-www-authenticate', title: 'no challenge', clause: 'RFC 6750, 3', url: 'https://op.example/userinfo' };

const RUN: LiveRun = {
  provider: 'Provider <One> & "Two"',
  started: '2026-12-02T10:00:00.000Z',
  finished: '2026-12-02T10:00:42.500Z',
  results: [
    { name: 'The RP registers', kind: 'scenario', verdict: 'passed', ms: 900, findings: [status] },
    { name: 'The code flow', kind: 'scenario', verdict: 'passed', ms: 1200, findings: [{ ...status, url: 'https://op.example/register?x' }] },
    { name: 'The user signs out', kind: 'scenario', verdict: 'failed', reason: 'the provider did not send the browser back', ms: 3000, findings: [] },
    { name: 'WebFinger', kind: 'scenario', verdict: 'skipped', reason: 'the configuration names no webfinger identifier', ms: 5, findings: [] },
    { name: 'A bad token at userinfo', kind: 'probe', probe: 'userinfo-invalid-token', verdict: 'passed', observed: 'refused it (HTTP 401)', clause: 'RFC 6750, 3', ms: 20, findings: [challenge] },
  ],
};

describe('the live report', () => {
  it('writes the run\'s findings as the global Allure attachments "Interop findings", text and JSON', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'oidc-harness-findings-')), 'allure-results');
    try {
      const findings = gatherFindings([{ provider: 'a', scenario: 'The RP registers', finding: status }, { provider: 'a', scenario: 'The code flow', finding: status }]);
      assert.equal(await writeFindingsAttachment(dir, findings), 1);
      const files = readdirSync(dir);
      const globals = files.filter((f) => f.endsWith('-globals.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { attachments: Array<{ name: string; type: string; source: string }> });
      const attachments = globals.flatMap((g) => g.attachments);
      assert.deepEqual(attachments.map((a) => `${a.name}: ${a.type}`).sort(), ['Interop findings (JSON): application/json', 'Interop findings: text/plain']);
      const content = (type: string): string => readFileSync(join(dir, attachments.find((a) => a.type === type)!.source), 'utf8');
      assert.deepEqual(JSON.parse(content('application/json')), findings);
      assert.match(content('text/plain'), /^1\. the registration endpoint answered .* \(registration\.status; MUST, RFC 7591, 3\.2\.1\)\n {3}seen in: The RP registers; The code flow\n/);
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });

  it('writes no attachment, and makes no results folder, when the run found nothing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'oidc-harness-findings-')), 'allure-results');
    try {
      assert.equal(await writeFindingsAttachment(dir, []), 0);
      assert.equal(existsSync(dir), false);
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });

  it('gathers a finding once per provider and rule, with every scenario and URL where it was seen', () => {
    const gathered = gatherFindings([
      { provider: 'a', scenario: 's1', finding: status },
      { provider: 'a', scenario: 's2', finding: status },
      { provider: 'a', scenario: 's2', finding: status },
      { provider: 'b', scenario: 's1', finding: status },
    ]);
    assert.equal(gathered.length, 2);
    assert.deepEqual(gathered[0]?.scenarios, ['s1', 's2']);
    assert.deepEqual(gathered[0]?.urls, ['https://op.example/register']);
  });

  it('closes the console with the verdict table, the totals, failures and skips with reasons, and the findings', () => {
    const text = closingText(RUN);
    assert.match(text, /^ {2}FAILED {3}scenario {2}The user signs out$/m);
    assert.match(text, /^Totals: 3 passed, 1 failed, 1 skipped: 4 scenarios \(2 passed, 1 failed, 1 skipped\), 1 probes \(1 passed, 0 failed, 0 skipped\); 42\.5 s$/m);
    assert.match(text, /^Failures \(1\):\n {2}1\. The user signs out: the provider did not send the browser back$/m);
    assert.match(text, /^Skipped \(1\):\n {2}1\. WebFinger: the configuration names no webfinger identifier$/m);
    assert.match(text, /^Interop findings \(2\):\n {2}1\. the registration endpoint answered .* \(registration\.status; MUST, RFC 7591, 3\.2\.1\)\n {5}seen in: The RP registers; The code flow\n/m);
  });

  it('writes summary.json with the results under the provider\'s name', () => {
    const summary = summaryOf(RUN) as { run: { command: string }; providers: Record<string, { totals: unknown; results: Array<Record<string, unknown>>; findings: Array<{ id: string; scenarios: string[] }> }> };
    assert.equal(summary.run.command, 'live');
    const mine = summary.providers['Provider <One> & "Two"'];
    assert.ok(mine);
    assert.deepEqual(mine.totals, { passed: 3, failed: 1, skipped: 1 });
    assert.deepEqual(mine.results[4], { name: 'A bad token at userinfo', kind: 'probe', probe: 'userinfo-invalid-token', verdict: 'passed', observed: 'refused it (HTTP 401)', clause: 'RFC 6750, 3', ms: 20, findings: ['userinfo.missing-www-authenticate'] });
    assert.deepEqual(mine.findings.map((f) => [f.id, f.scenarios]), [['registration.status', ['The RP registers', 'The code flow']], ['userinfo.missing-www-authenticate', ['A bad token at userinfo']]]);
  });

  it('writes JUnit whose skipped and failed test cases say why, escaped', () => {
    const xml = junitOf(RUN);
    assert.match(xml, /<testsuites name="oidc-harness live: Provider &#60;One&#62; &#38; &#34;Two&#34;" tests="5" failures="1" errors="0" skipped="1">/);
    assert.match(xml, /<testcase classname="[^"]+\.scenarios" name="WebFinger" time="0\.005">\n {6}<skipped message="the configuration names no webfinger identifier"\/>/);
    assert.match(xml, /<failure message="the provider did not send the browser back" type="failed">/);
    assert.match(xml, /<testsuite name="[^"]+: probes" tests="1" failures="0" errors="0" skipped="0"/);
  });
});

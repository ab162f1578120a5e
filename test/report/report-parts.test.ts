/**
 * The parts of the report that are no picture: an exchange's attachment (its title, the redacted
 * exchange, its JWTs decoded beside it), the verdict as the page's description and labels (the
 * clause beside the check, text from elsewhere made inert), what a run was (its title and
 * environment from the results' labels, the files both Allure versions read), and the categories
 * Allure 2 and Allure 3 share.
 *
 * Run: node --import tsx --test test/report/report-parts.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CATEGORIES } from '../../report/categories.js';
import { fromRecorded } from '../../report/conversation.js';
import { exchangeAttachment } from '../../report/exchange-attachment.js';
import { environmentProperties, hasRunInfo, runInfoFromResults, writeRunInfo } from '../../report/run-info.js';
import { inert, verdictLabels, verdictMarkdown, type VerdictFacts } from '../../report/verdict-description.js';
import { redactExchange } from '../../src/transport/redact.js';
import { ROOT } from '../fixtures/root.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidc-harness-report-parts-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe("an exchange's attachment", () => {
  it('is named by who, method, path and status, and holds the redacted exchange with its ID token decoded beside it', () => {
    const idToken = `${b64({ alg: 'RS256' })}.${b64({ sub: 'alice', iat: 0 })}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`;
    const recorded = redactExchange({
      request: { method: 'POST' as const, url: 'https://op.example/rp1/t/token', headers: { Authorization: 'Basic Y2xpZW50OnNlY3JldA==', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=abcdefgh' },
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token: 'at-123456789', id_token: idToken }) },
      startedAt: new Date(0).toISOString(),
      ms: 3,
    });
    const [exchange] = fromRecorded([{ who: 'RP to OP', exchange: recorded }], { issuer: 'https://op.example/rp1/t' });
    const attachment = exchangeAttachment(exchange!);
    assert.equal(attachment.name, 'RP to OP: POST /token -> 200');
    assert.equal(attachment.contentType, 'application/json');
    const record = JSON.parse(attachment.content) as Record<string, unknown>;
    assert.deepEqual(record['request'], { method: 'POST', url: 'https://op.example/rp1/t/token', headers: { Authorization: 'Basic [REDACTED]', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=%5BREDACTED%5D' });
    assert.deepEqual((record['response'] as { body: unknown }).body, { access_token: '[REDACTED]', id_token: `${idToken.split('.').slice(0, 2).join('.')}.[REDACTED]` });
    assert.deepEqual(record['jwts'], [{ at: 'response body: id_token', kind: 'JWS', header: { alg: 'RS256' }, claims: { sub: 'alice', iat: 0 }, times: { iat: '1970-01-01T00:00:00.000Z' } }]);
    assert.ok(!attachment.content.includes('c2lnbmF0dXJlLXNpZ25hdHVyZQ') && !attachment.content.includes('at-123456789') && !attachment.content.includes('abcdefgh'));
  });
});

describe('the verdict on the page', () => {
  const facts: VerdictFacts = {
    verdict: 'passed',
    reason: 'the RP refused the ID token (the RP says: <b>no</b> *signature*)',
    test: 'oidcc-client-test-invalid-sig-rs256',
    legacy: ['rp-id_token-bad-sig-rs256'],
    profile: 'form-post',
    responseType: 'id_token',
    responseMode: 'form_post',
    expected: 'reject',
    outcome: 'refused',
    testCheck: 'checkSignature',
    refusedAt: 'checkSignature',
    clause: 'OIDC Core 3.1.3.7 step 6',
    rpSays: 'the signature does not verify',
    opDoes: 'RS256 ID token with bytes of its signature flipped',
    rpDoes: 'refuses the ID token',
  };

  it('says the verdict and its reason first, then what the RP did, at which check and clause', () => {
    assert.deepEqual(verdictMarkdown(facts).split('\n'), [
      '**Verdict: PASSED** — the RP refused the ID token (the RP says: \\<b\\>no\\</b\\> \\*signature\\*)',
      '',
      '- **The RP:** refused at `checkSignature` (OIDC Core 3.1.3.7 step 6): the signature does not verify',
      '- **The OP:** RS256 ID token with bytes of its signature flipped',
      '- **A conforming RP:** refuses the ID token (expected: reject)',
      '- **Test:** `oidcc-client-test-invalid-sig-rs256` (formerly `rp-id_token-bad-sig-rs256`)',
      '- **Profile:** form-post, response type `id_token form_post`',
    ]);
  });

  it('files the test by profile and response type, and by verdict and check', () => {
    assert.deepEqual(verdictLabels(facts).map((l) => `${l.name}=${l.value}`), [
      'verdict=passed', 'parentSuite=form-post', 'subSuite=id_token form_post', 'check=checkSignature', 'clause=OIDC Core 3.1.3.7 step 6', 'outcome=refused', 'expected=reject',
    ]);
  });

  it('makes text from elsewhere inert: no markup, no link, no image, one line', () => {
    assert.equal(inert('![x](http://a) <img src=y> a & b\nc'), '\\!\\[x\\](http://a) \\<img src=y\\> a &amp; b c');
  });
});

describe('what a run was', () => {
  /** Writes a result file with labels. */
  const result = (name: string, fullName: string, labels: Array<[string, string]>): Promise<void> =>
    writeFile(join(dir, name, `${fullName.length}-${labels.length}-result.json`), JSON.stringify({ fullName, labels: labels.map(([n, value]) => ({ name: n, value })) }));

  it('a certification run: every scenario from features/certification', async () => {
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'certify')));
    await result('certify', 'oidc-harness:features/certification/basic.feature#a', [['rp', 'built-in service layer'], ['op', 'mock-op (in-process, MSW)']]);
    await result('certify', 'oidc-harness:features/certification/implicit.feature#bb', [['rp', 'built-in service layer'], ['op', 'mock-op (in-process, MSW)'], ['x', 'y']]);
    const info = await runInfoFromResults(join(dir, 'certify'), { harness: '1.2.3', node: 'v20.1.0' });
    assert.deepEqual(info, { title: 'oidc-harness certify: built-in service layer', kind: 'certify', environment: { 'oidc-harness': '1.2.3', 'Node.js': 'v20.1.0', OP: 'mock-op (in-process, MSW)', RP: 'built-in service layer' } });
    assert.equal(await hasRunInfo(join(dir, 'certify')), false);
    await writeRunInfo(join(dir, 'certify'), info, '1.2.3');
    assert.equal(await hasRunInfo(join(dir, 'certify')), true);
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'certify', 'executor.json'), 'utf8')), { name: 'oidc-harness 1.2.3', type: 'oidc-harness', buildName: 'certify', reportName: 'oidc-harness certify: built-in service layer' });
    assert.equal(await readFile(join(dir, 'certify', 'environment.properties'), 'utf8'), 'oidc-harness=1.2.3\nNode.js=v20.1.0\nOP=mock-op (in-process, MSW)\nRP=built-in service layer\n');
  });

  it('a live run: named by its provider', async () => {
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'live')));
    await result('live', 'oidc-harness:features/real-op/real-op.feature#a', [['rp', 'built-in service layer'], ['op', 'live provider: Keycloak, realm demo']]);
    const info = await runInfoFromResults(join(dir, 'live'), { harness: '1', node: 'v20' });
    assert.equal(info.title, 'oidc-harness live: Keycloak, realm demo');
    assert.equal(info.kind, 'live');
  });

  it('writes the environment as Java reads properties: special characters of keys and beyond ASCII escaped', () => {
    assert.equal(environmentProperties({ 'a key': 'Grüße: ok\nnext' }), 'a\\ key=Gr\\u00fc\\u00dfe: ok\\nnext\n');
  });
});

describe('the categories', () => {
  it('are the same in categories.json (Allure 2) and in allurerc.mjs (Allure 3), which groups failures by check', async () => {
    const config = (await import(pathToFileURL(join(ROOT, 'allurerc.mjs')).href) as { default: { categories: Array<{ name: string; groupBy?: Array<{ label: string }> }> } }).default;
    assert.deepEqual(config.categories.map((c) => c.name), CATEGORIES.map((c) => c.name));
    assert.deepEqual(config.categories.filter((c) => c.groupBy?.some((g) => g.label === 'check')).map((c) => c.name), ['Failed', 'Inconclusive: the RP never met the test']);
  });
});

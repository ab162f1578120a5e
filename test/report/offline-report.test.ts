/**
 * The rendered report is one file that opens from disk in Chromium, offline: `renderReport`
 * renders a small results folder, the test opens its index.html from file:// in headless Chromium
 * with every request to anything but file:, data: and blob: URLs blocked and recorded, and finds
 * the report's title, its environment and its tests on the page, and no outside request.
 *
 * Run: node --import tsx --test test/report/offline-report.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { renderReport } from '../../bin/command.js';
import { launchBrowser } from '../../live/browser.js';
import { writeRunInfo } from '../../report/run-info.js';
import { ROOT } from '../fixtures/root.js';

let dir: string;
let browser: Browser;

/** Writes two test results (one passed with a JSON and an SVG attachment, one failed) into `resultsDir`. */
async function writeResults(resultsDir: string): Promise<void> {
  const { ReporterRuntime, FileSystemWriter } = await import('allure-js-commons/sdk/reporter');
  const { Status } = await import('allure-js-commons');
  const runtime = new ReporterRuntime({ writer: new FileSystemWriter({ resultsDir }) });
  const passed = runtime.startTest({
    name: 'The ID token is bad: its iss is not the issuer',
    fullName: 'report test: passed',
    status: Status.PASSED,
    description: '**Verdict: PASSED** — the RP refused the ID token',
    labels: [{ name: 'parentSuite', value: 'basic' }, { name: 'subSuite', value: 'code' }, { name: 'verdict', value: 'passed' }],
  });
  runtime.writeAttachment(passed, null, 'RP to OP: POST /token -> 200', Buffer.from('{"id_token":"eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.[REDACTED]"}'), { contentType: 'application/json', fileExtension: '.json' });
  runtime.writeAttachment(passed, null, 'sequence diagram', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'), { contentType: 'image/svg+xml', fileExtension: '.svg' });
  runtime.stopTest(passed);
  runtime.writeTest(passed);
  const failed = runtime.startTest({
    name: 'The RP accepts an unsigned ID token',
    fullName: 'report test: failed',
    status: Status.FAILED,
    statusDetails: { message: 'the verdict is failed: the RP accepted the ID token' },
    labels: [{ name: 'parentSuite', value: 'basic' }, { name: 'subSuite', value: 'code' }, { name: 'verdict', value: 'failed' }, { name: 'check', value: 'checkSignature' }],
  });
  runtime.stopTest(failed);
  runtime.writeTest(failed);
  await writeRunInfo(resultsDir, { title: 'oidc-harness certify: report test', kind: 'certify', environment: { 'oidc-harness': '9.9.9', 'Node.js': 'v20.0.0-test', OP: 'mock-op (test)' } }, '9.9.9');
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidc-harness-report-test-'));
  await writeResults(join(dir, 'results'));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the rendered report', { timeout: 120_000 }, () => {
  it('is one index.html, without analytics, with a policy that lets nothing out', async () => {
    assert.equal(await renderReport(join(dir, 'results'), join(dir, 'report')), 0);
    const files = await readdir(join(dir, 'report'));
    assert.ok(files.includes('index.html'), files.join(', '));
    assert.ok(!files.includes('data') && !files.some((f) => f.endsWith('.js')), `no data folder or scripts beside index.html: ${files.join(', ')}`);
    const html = await readFile(join(dir, 'report', 'index.html'), 'utf8');
    assert.doesNotMatch(html, /googletagmanager|gtag\(/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    assert.match(html, /<title> oidc-harness certify: report test <\/title>/);
  });

  it('opens from file:// with its title, environment and tests, and requests nothing outside the file', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const outside: string[] = [];
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (/^(file|data|blob):/.test(url)) return route.continue();
      outside.push(url);
      return route.abort();
    });
    const index = pathToFileURL(join(dir, 'report', 'index.html')).href;
    await page.goto(index);
    await page.getByText('oidc-harness certify: report test').first().waitFor({ timeout: 30_000 });
    assert.equal(await page.title(), 'oidc-harness certify: report test');
    const body = await page.innerText('body');
    for (const shown of ['9.9.9', 'v20.0.0-test', 'mock-op (test)']) assert.ok(body.includes(shown), `the environment shows ${shown}`);
    // The tree: open every group until the tests show.
    for (let open = 0; open < 5 && (await page.locator('[data-testid="tree-leaf"]').count()) < 2; open += 1) {
      const arrows = page.locator('[data-testid="tree-arrow"]');
      for (let at = 0; at < (await arrows.count()); at += 1) await arrows.nth(at).click();
      await page.waitForTimeout(200);
    }
    const leaves = await page.locator('[data-testid="tree-leaf-title"]').allInnerTexts();
    assert.deepEqual(leaves.sort(), ['The ID token is bad: its iss is not the issuer', 'The RP accepts an unsigned ID token']);
    // A test's page, with its description and attachments, opens too.
    await page.getByText('The ID token is bad: its iss is not the issuer').first().click();
    await page.getByText('RP to OP: POST /token -> 200').first().waitFor({ timeout: 10_000 });
    assert.deepEqual(outside, []);
    assert.deepEqual(requested.filter((url) => !/^(file|data|blob):/.test(url)), []);
    assert.ok(requested.includes(index), 'the page itself was loaded from disk');
    await context.close();
  });

  it('is Allure\'s page byte for byte but for the analytics tag taken out and the policy put in', async () => {
    const { offlinePage, CONTENT_SECURITY_POLICY } = (await import(pathToFileURL(join(ROOT, 'report', 'allure-offline-plugin.mjs')).href)) as {
      offlinePage: (page: Buffer | string) => Buffer;
      CONTENT_SECURITY_POLICY: string;
    };
    // Allure's page as its template writes it, with text in several scripts around the tags.
    const tag = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>\n    <script>\n        window.dataLayer = window.dataLayer || [];\n        function gtag(){dataLayer.push(arguments);}\n        gtag(\'config\', \'G-X\');\n    </script>';
    const before = '<!DOCTYPE html>\n<html>\n<HEAD>\n<title> Vérifié — 検証 </title>\n</HEAD><body><script>"ü€😀"</script>\n    ';
    const after = '\n    <script>d("data/x","ÿÿ—")</script></body></html>';
    const page = Buffer.from(before + tag + after, 'utf8');
    const policy = `\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`;
    const expected = before.replace('<HEAD>', `<HEAD>${policy}`) + after;
    assert.equal(offlinePage(page).toString('utf8'), expected);
    assert.equal(offlinePage(before + tag + after).toString('utf8'), expected, 'text is taken as well as bytes');
    const twice = Buffer.from(`${before}${tag}<p>é</p>${tag}${after}`, 'utf8');
    assert.equal(offlinePage(twice).toString('utf8'), `${before.replace('<HEAD>', `<HEAD>${policy}`)}<p>é</p>${after}`, 'every tag goes');
    const none = Buffer.from('<p>no head, no tag: ü</p>', 'utf8');
    assert.equal(offlinePage(none), none, 'a page with nothing to change is given back as it is');
  });

  it('holds every attachment exactly, a large one too, and nothing of a temporary file', async () => {
    const results = join(dir, 'sizes');
    const { ReporterRuntime, FileSystemWriter } = await import('allure-js-commons/sdk/reporter');
    const runtime = new ReporterRuntime({ writer: new FileSystemWriter({ resultsDir: results }) });
    const test = runtime.startTest({ name: 'attachments of every size', fullName: 'report test: sizes' });
    // The renderer reads a file whole into memory up to 8 MiB, and leaves a larger one to Allure.
    const contents = [Buffer.from('{"small":true}'), Buffer.alloc(9 * 1024 * 1024, 'large attachment '), Buffer.alloc(0)];
    contents.forEach((content, at) => runtime.writeAttachment(test, null, `attachment ${at}`, content, { contentType: 'text/plain', fileExtension: '.txt' }));
    runtime.stopTest(test);
    runtime.writeTest(test);
    await writeFile(join(results, 'half-written-result.json.tmp'), '{"uuid":');
    assert.equal(await renderReport(results, join(dir, 'sizes-report')), 0);
    const html = await readFile(join(dir, 'sizes-report', 'index.html'), 'utf8');
    const embedded = [...html.matchAll(/d\("data\/attachments\/[0-9a-f]+\.txt","([^"]*)"\)/g)].map((match) => Buffer.from(match[1]!, 'base64'));
    assert.equal(embedded.length, contents.length, 'every attachment is in the page');
    for (const content of contents) assert.ok(embedded.some((found) => found.equals(content)), `an attachment of ${content.length} bytes is in the page as written`);
    const tests = JSON.parse(await readFile(join(dir, 'sizes-report', 'test-results.json'), 'utf8')) as { byId: Record<string, { name: string }> };
    assert.deepEqual(Object.values(tests.byId).map((found) => found.name), ['attachments of every size']);
  });
});

/**
 * The pages of the mock OP served by hand (`oidc-harness serve-op`), for someone driving an RP of
 * their own: an index of the plans and their tests, each with what it expects the RP to do and
 * what to configure for it, and per test a log page (as the OpenID Foundation's log pages) with the
 * verdict they lack: the requests the OP received, redacted, and what the verdict is if the RP
 * logged the user in and if it refused.
 *
 * - `/` the index; `/?rp_id=NAME` with the issuers filled in for that rp_id.
 * - `/logs/<rp_id>/<test_id>` a test's log page (`rp_id` "logs" is therefore not usable).
 *
 * @module
 */
import type { ConformanceOp } from './conformance/conformance-op.js';
import type { ConformanceTest } from './conformance/conformance-test.js';
import type { Evidence } from './conformance/evidence.js';
import { plans } from './conformance/plans.js';
import { displayId, testIds } from './conformance/test-ids.js';
import { judge, type Judgement } from './conformance/verdict.js';
import { redactedLog, secretsOf } from './redacted-log.js';
import { escapeHtml, htmlResponse } from './responses.js';

const STYLE = `<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:75em;color:#222}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#f3f3f3}code,pre{font:12px/1.4 ui-monospace,monospace}pre{white-space:pre-wrap;word-break:break-all;margin:0}
.passed{color:#17702f}.failed{color:#b3261e}.skipped{color:#8a6d00}.inconclusive{color:#555}.verdict{font-weight:600}
</style>`;

/** A page of the harness. */
function page(title: string, body: string): Response {
  return htmlResponse(title, `${STYLE}<h1>${escapeHtml(title)}</h1>${body}`, 200, { 'Cache-Control': 'no-store' });
}

/** The index: every plan with its tests, what each expects of the RP and what to configure. */
function indexPage(op: ConformanceOp, rpId: string): Response {
  const intro =
    `<p>Every test is an OP of its own at <code>${escapeHtml(op.base)}/&lt;rp_id&gt;/&lt;test_id&gt;</code>: pick an rp_id of your own ` +
    `(letters, digits, <code>._~+-</code>), point your RP at a test's issuer, log in, then open the test's log page for what the OP saw and the verdict. ` +
    `WebFinger answers <code>acct:&lt;rp_id&gt;.&lt;test_id&gt;@${escapeHtml(new URL(op.base).host)}</code> and the issuer URLs. ` +
    `The older tool's ids (<code>rp-...</code>) select the same tests.</p>` +
    `<form><label>rp_id <input name="rp_id" value="${escapeHtml(rpId)}"></label> <button>Show the issuers</button></form>`;
  const sections = plans().map((plan) => {
    const rows = plan.tests.map((test) => {
      const id = displayId(test);
      const issuer = op.issuerFor(rpId, id);
      return (
        `<tr><td><code>${escapeHtml(id)}</code>${test.legacy.length > 0 && !test.legacy.includes(id) ? `<br><small>${escapeHtml(test.legacy.join(', '))}</small>` : ''}</td>` +
        `<td>${escapeHtml(test.description)}</td><td>${escapeHtml(test.rpDoes)}${test.configure ? `<br><b>Configure:</b> ${escapeHtml(test.configure)}` : ''}</td>` +
        `<td><code>${escapeHtml(issuer)}</code><br><a href="/logs/${encodeURIComponent(rpId)}/${encodeURIComponent(id)}">log and verdict</a></td></tr>`
      );
    });
    const mode = plan.responseMode ? `, response_mode=${plan.responseMode}` : '';
    return `<h2>${escapeHtml(plan.name)}: response_type=${escapeHtml(plan.responseType)}${escapeHtml(mode)}</h2><table><tr><th>test</th><th>the OP</th><th>a conforming RP</th><th>issuer</th></tr>${rows.join('')}</table>`;
  });
  return page('oidc-harness mock OP: the RP certification tests', intro + sections.join(''));
}

/** The verdict in words, as a line of the log page. */
function verdictHtml(label: string, judgement: Judgement): string {
  return `<p>${escapeHtml(label)} <span class="verdict ${judgement.verdict}">${judgement.verdict}</span>: ${escapeHtml(judgement.reason)}</p>`;
}

/** A test's log page: what the OP received, redacted, and the verdict for either outcome of the RP. */
function logPage(op: ConformanceOp, rpId: string, testId: string, test: ConformanceTest, origin: string): Response {
  const provider = op.opFor(rpId, testId, origin);
  const entries = provider.requests.all();
  const evidence = (outcome: 'accepted' | 'refused'): Evidence => ({
    responseType: (new URL(entries.find((e) => e.endpoint === 'authorization')?.url ?? 'http://x/?response_type=code').searchParams.get('response_type') ?? 'code') as Evidence['responseType'],
    outcome,
    requests: entries,
    backchannel: [...provider.backchannelDeliveries],
    clients: [...provider.clients.values()],
  });
  const accepted = judge(test, evidence('accepted'));
  const refused = judge(test, evidence('refused'));
  const verdicts =
    accepted.verdict === refused.verdict && accepted.reason === refused.reason
      ? verdictHtml('Whatever the RP says, the verdict is', accepted)
      : verdictHtml('If the RP logged the user in, the verdict is', accepted) + verdictHtml('If the RP refused, the verdict is', refused);
  const rows = redactedLog(entries, secretsOf(provider)).map(
    (r) =>
      `<tr><td>${escapeHtml(r.time.slice(11, 23))}</td><td>${escapeHtml(r.method)} ${escapeHtml(r.endpoint)}</td><td>${r.status ?? ''}${r.error ? ` ${escapeHtml(r.error)}` : ''}</td>` +
      `<td><pre>${escapeHtml(r.url)}</pre>${r.body ? `<pre>${escapeHtml(r.body)}</pre>` : ''}</td></tr>`,
  );
  const body =
    `<p>Issuer <code>${escapeHtml(provider.issuer)}</code>. The OP ${escapeHtml(test.description)}. A conforming RP ${escapeHtml(test.rpDoes)}.` +
    `${test.configure ? ` Configure: ${escapeHtml(test.configure)}.` : ''} Ids: ${testIds(test).map((i) => `<code>${escapeHtml(i)}</code>`).join(', ')}.</p>` +
    verdicts +
    `<h2>What the OP received (${entries.length})</h2>` +
    (rows.length === 0 ? '<p>Nothing yet: point the RP at the issuer above and log in.</p>' : `<table><tr><th>time</th><th>request</th><th>answer</th><th>URL and body (secrets redacted)</th></tr>${rows.join('')}</table>`) +
    `<p><a href="/?rp_id=${encodeURIComponent(rpId)}">all tests</a></p>`;
  return page(`${testId} for ${rpId}`, body);
}

/** The pages of the mock OP's server, as a handler for requests the OP itself does not answer. */
export function harnessPages(op: ConformanceOp): (request: Request) => Promise<Response | undefined> {
  return async (request) => {
    const url = new URL(request.url);
    if (request.method !== 'GET') return undefined;
    if (url.pathname === '/' || url.pathname === '') {
      const rpId = url.searchParams.get('rp_id') ?? 'my-rp';
      return indexPage(op, /^[A-Za-z0-9._~+-]+$/.test(rpId) ? rpId : 'my-rp');
    }
    const match = /^\/logs\/([A-Za-z0-9._~+-]+)\/([A-Za-z0-9._~+-]+)\/?$/.exec(url.pathname);
    if (match === null) return undefined;
    const [, rpId, testId] = match as unknown as [string, string, string];
    let test: ConformanceTest;
    try {
      test = op.testFor(testId);
    } catch {
      return htmlResponse('Unknown test', `<p>No test has the id <code>${escapeHtml(testId)}</code>. <a href="/">The tests</a></p>`, 404);
    }
    return logPage(op, rpId, testId, test, url.origin);
  };
}

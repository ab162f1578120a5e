/**
 * Logins as configured steps, in Chromium, against small pages of every style a provider uses: a
 * form that navigates, a single-page form that submits in the background, a username page then a
 * password page, a consent page that comes only sometimes. Also: a wrong password is "login
 * rejected", a page without the form fails when it comes to rest (not after the whole timeout),
 * and no message ever shows what was typed.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../live/browser.js';
import { BrowserSession } from '../../live/browser-session.js';
import { closeServer } from '../../live/close-server.js';
import { LoginStepError } from '../../live/login-step-error.js';
import type { LoginStep } from '../../live/login-steps.js';

const PASSWORD = 'pw-typed-from-the-environment-93c1';
const VALUES = new Map([['USER', 'alice'], ['PASSWORD', PASSWORD]]);

const page = (title: string, body: string): string => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

const LOGIN_FORM = '<form method="post" action="/op/form"><input id="user" name="user"><input id="pass" name="pass" type="password"><button type="submit">Sign in</button></form>';

/** The provider's pages (under /op/) and the RP (under /rp/) on one loopback server. */
function providerPages(): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const html = (body: string, title = 'Provider'): void => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page(title, body));
    };
    const redirect = (to: string): void => {
      res.writeHead(303, { location: to });
      res.end();
    };
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const consent = url.searchParams.get('consent') === '1';
      switch (`${req.method} ${url.pathname}`) {
        case 'GET /op/form':
          // The form remembers whether a consent page follows in a cookie, as a provider's session would.
          res.setHeader('set-cookie', `consent=${consent ? 1 : 0}; Path=/`);
          return html(LOGIN_FORM);
        case 'POST /op/form':
          if (form.get('pass') !== PASSWORD) return html(`<p>Wrong credentials</p>${LOGIN_FORM}`);
          return redirect(/consent=1/.test(req.headers.cookie ?? '') ? '/op/consent' : '/rp/back?from=form');
        case 'GET /op/consent':
          return html('<form method="get" action="/rp/back"><input type="hidden" name="from" value="consent"><button id="accept">Accept</button></form>', 'Consent');
        case 'GET /op/spa':
          return html(`<div id="login"><input id="user"><input id="pass" type="password"><button id="go">Sign in</button></div>
<div id="consent" hidden><label><input type="checkbox" class="scope" value="profile"> profile</label><label><input type="checkbox" class="scope" value="email"> email</label><button id="allow">Allow</button></div>
<script>
document.getElementById('go').onclick = async () => {
  const r = await fetch('/op/spa-login', { method: 'POST', body: document.getElementById('user').value + ':' + document.getElementById('pass').value });
  if (!r.ok) return;
  document.getElementById('login').hidden = true;
  ${consent ? "document.getElementById('consent').hidden = false;" : "location.href = '/rp/back?from=spa';"}
};
document.getElementById('allow').onclick = () => {
  const ticked = [...document.querySelectorAll('.scope')].filter((b) => b.checked).map((b) => b.value).join(',');
  location.href = '/rp/back?from=spa&granted=' + ticked;
};
</script>`);
        case 'POST /op/spa-login':
          res.writeHead(body === `alice:${PASSWORD}` ? 204 : 401);
          return res.end();
        case 'GET /op/username':
          return html('<form method="get" action="/op/password"><input name="user" id="user"><button id="next">Next</button></form>');
        case 'GET /op/password':
          return html('<form method="post" action="/op/password"><input name="pass" id="pass" type="password"><button id="signin">Sign in</button></form>');
        case 'POST /op/password':
          return form.get('pass') === PASSWORD ? redirect('/rp/back?from=two-step') : html('<p>Wrong password</p>');
        case 'GET /op/error':
          return html('<h1>invalid_client</h1><p>The client is not known.</p>', 'Error');
        case 'GET /rp/back':
          return html('back at the RP', 'RP');
        default:
          res.writeHead(404);
          return res.end();
      }
    });
  });
}

describe('logins as configured steps, in Chromium', { timeout: 120_000 }, () => {
  let server: Server;
  let base: string;
  let browser: Browser;

  before(async () => {
    server = providerPages();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await closeServer(server);
  });

  async function signIn(path: string, login: LoginStep[], timeoutMs = 20_000): Promise<{ url: string; asked: boolean; shots: string[] }> {
    const shots: string[] = [];
    const session = await BrowserSession.open({
      browser,
      login,
      logout: [],
      values: VALUES,
      returnUrlPrefix: `${base}/rp/`,
      timeoutMs,
      restMs: 1_000,
      stallMs: 2_000,
      screenshot: (name) => {
        shots.push(name);
      },
    });
    try {
      const result = await session.signIn(`${base}${path}`);
      return { url: result.url, asked: result.askedForCredentials, shots };
    } finally {
      await session.close();
    }
  }

  const formSteps: LoginStep[] = [
    { fill: '#user', env: 'USER' },
    { fill: '#pass', env: 'PASSWORD', secret: true },
    { click: 'button[type="submit"]' },
    { click: '#accept', optional: true },
  ];

  it('a form that navigates, with no consent page: the optional step is skipped', async () => {
    const result = await signIn('/op/form', formSteps);
    assert.equal(new URL(result.url).searchParams.get('from'), 'form');
    assert.equal(result.asked, true);
    assert.deepEqual(result.shots, ['login-filled', 'after-redirect']);
  });

  it('a form that navigates, then a consent page: the optional step is done', async () => {
    const result = await signIn('/op/form?consent=1', formSteps);
    assert.equal(new URL(result.url).searchParams.get('from'), 'consent');
  });

  it('a single-page form that submits in the background, then ticks the scopes and allows', async () => {
    const steps: LoginStep[] = [
      { fill: '#user', env: 'USER' },
      { fill: '#pass', env: 'PASSWORD', secret: true },
      { click: '#go' },
      { check: '.scope', optional: true },
      { click: '#allow', optional: true },
    ];
    const withConsent = await signIn('/op/spa?consent=1', steps);
    assert.equal(new URL(withConsent.url).searchParams.get('granted'), 'profile,email');
    const without = await signIn('/op/spa', steps);
    assert.equal(new URL(without.url).searchParams.get('from'), 'spa');
  });

  it('a username page, then a password page', async () => {
    const result = await signIn('/op/username', [
      { fill: '#user', env: 'USER' },
      { click: '#next' },
      { wait_for_url: '**/op/password*' },
      { fill: '#pass', env: 'PASSWORD', secret: true },
      { click: '#signin' },
    ]);
    assert.equal(new URL(result.url).searchParams.get('from'), 'two-step');
  });

  it('a wrong password is "login rejected", and no message holds what was typed', async () => {
    const wrong = new Map([['USER', 'alice'], ['PASSWORD', `${PASSWORD}-wrong`]]);
    const session = await BrowserSession.open({ browser, login: formSteps, logout: [], values: wrong, returnUrlPrefix: `${base}/rp/`, timeoutMs: 20_000 });
    try {
      await assert.rejects(session.signIn(`${base}/op/form`), (error: Error) => {
        assert.ok(error instanceof LoginStepError);
        assert.equal(error.stage, 'login rejected');
        assert.ok(!error.message.includes(PASSWORD) && !String(error.stack).includes(PASSWORD));
        return true;
      });
    } finally {
      await session.close();
    }
  });

  it('a page without the login form fails once it has come to rest, naming the step and the page', async () => {
    await assert.rejects(signIn('/op/error', formSteps, 60_000), (error: Error) => {
      assert.ok(error instanceof LoginStepError);
      assert.match(error.message, /^login step: step 1 \(fill #user from \$USER\): the page came to rest without it; the browser is at http:\/\/127\.0\.0\.1:\d+\/op\/error \(title "Error", text "invalid_client The client is not known\."\)$/);
      return true;
    });
  });
});

/**
 * The Transport against a real loopback server: timeouts, size limits, refused and reset
 * connections, the redirect policies, and recorded exchanges that are always redacted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TransportError, Transport, type Exchange, type ServiceContext } from '../../src/index.js';
import { AccessToken } from '../../src/services/access-token.js';
import { UserInfo } from '../../src/services/userinfo.js';
import { REDACTED } from '../../src/transport/redact.js';
import { CLIENT_SECRET, makeContext } from '../fixtures/context.js';
import { authorizedSession, tokenSession } from '../fixtures/flows.js';
import { isError, readBody, startServer, type LocalServer } from '../fixtures/http.js';
import { idTokenClaims, signToken } from '../fixtures/tokens.js';

let server: LocalServer;
let other: LocalServer;
const seenByOther: Array<Record<string, unknown>> = [];
let idToken: string;

before(async () => {
  idToken = await signToken(idTokenClaims({ nonce: 'n' }));
  other = await startServer((req, res) => {
    seenByOther.push({ ...req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  server = await startServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const body = await readBody(req);
    if (path === '/json') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}');
    if (path === '/hang') return; // never answers
    if (path === '/stall') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
      return; // never ends
    }
    if (path === '/big-declared') return res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2000' }).end('x'.repeat(2000));
    if (path === '/big-chunked') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 20; i += 1) res.write('y'.repeat(100));
      return res.end();
    }
    if (path === '/reset') return req.socket.destroy();
    if (path === '/loop/a') return res.writeHead(302, { location: '/loop/b' }).end();
    if (path === '/loop/b') return res.writeHead(302, { location: '/loop/a' }).end();
    if (path.startsWith('/chain/')) return res.writeHead(302, { location: `/chain/${Number(path.slice(7)) + 1}` }).end();
    if (path === '/start') return res.writeHead(302, { location: '/end' }).end();
    if (path === '/end') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"arrived":true}');
    if (path === '/cross') return res.writeHead(302, { location: `${other.url}/echo` }).end();
    if (path === '/token') {
      return res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'op_session=cookie-secret-value' }).end(
        JSON.stringify({ access_token: 'access-token-SECRET-1', token_type: 'Bearer', refresh_token: 'refresh-token-SECRET-1', id_token: idToken, expires_in: 3600 }),
      );
    }
    if (path === '/echo-header') {
      return res.writeHead(200, { 'content-type': 'application/json', 'x-debug-client-secret': CLIENT_SECRET }).end('{}');
    }
    if (path === '/echo') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ headers: req.headers, body }));
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
});

after(async () => {
  await server.close();
  await other.close();
});

const transports: Transport[] = [];
function transport(options: ConstructorParameters<typeof Transport>[0] = {}): Transport {
  const t = new Transport(options);
  transports.push(t);
  return t;
}
after(async () => {
  await Promise.all(transports.map((t) => t.close()));
});

describe('Transport: ordinary exchanges', () => {
  it('GETs and gives status, lower-case headers, body and URL', async () => {
    const response = await transport().send({ method: 'GET', url: `${server.url}/json` });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(response.body, '{"hello":"world"}');
    assert.equal(response.url, `${server.url}/json`);
  });

  it('POSTs a body with its headers and the configured User-Agent', async () => {
    const response = await transport({ userAgent: 'oidc-harness-test/1' }).send({
      method: 'POST',
      url: `${server.url}/echo`,
      body: 'a=1&b=2',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const echoed = JSON.parse(response.body) as { headers: Record<string, string>; body: string };
    assert.equal(echoed.body, 'a=1&b=2');
    assert.equal(echoed.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(echoed.headers['user-agent'], 'oidc-harness-test/1');
  });

  it('hands a 404 over as it is', async () => {
    assert.equal((await transport().send({ method: 'GET', url: `${server.url}/nothing-here` })).status, 404);
  });
});

describe('Transport: failures', () => {
  it('times out when the server never answers (transportTimeout)', async () => {
    await assert.rejects(
      transport({ timeout: 300 }).send({ method: 'GET', url: `${server.url}/hang` }),
      isError(TransportError, 'transportTimeout', (e) => e.detail['timeout'] === 300),
    );
  });

  it('times out when the body stalls (transportTimeout)', async () => {
    await assert.rejects(transport({ timeout: 300 }).send({ method: 'GET', url: `${server.url}/stall` }), isError(TransportError, 'transportTimeout'));
  });

  it('times out on the headers timeout of its own agent (transportTimeout)', async () => {
    await assert.rejects(transport({ headersTimeout: 200, timeout: 5_000 }).send({ method: 'GET', url: `${server.url}/hang` }), isError(TransportError, 'transportTimeout'));
  });

  it('refuses a body declared over the limit (transportSize)', async () => {
    await assert.rejects(
      transport({ maxResponseBytes: 1000 }).send({ method: 'GET', url: `${server.url}/big-declared` }),
      isError(TransportError, 'transportSize', (e) => e.detail['limit'] === 1000),
    );
  });

  it('refuses a chunked body that grows over the limit (transportSize)', async () => {
    await assert.rejects(transport({ maxResponseBytes: 1000 }).send({ method: 'GET', url: `${server.url}/big-chunked` }), isError(TransportError, 'transportSize'));
    const fine = await transport({ maxResponseBytes: 2000 }).send({ method: 'GET', url: `${server.url}/big-chunked` });
    assert.equal(fine.body.length, 2000);
  });

  it('reports a refused connection (transportConnect)', async () => {
    const closed = await startServer((_req, res) => res.end());
    const url = `${closed.url}/x`;
    await closed.close();
    await assert.rejects(transport().send({ method: 'GET', url }), isError(TransportError, 'transportConnect', (e) => e.detail['code'] === 'ECONNREFUSED'));
  });

  it('reports a connection closed before the answer (transportReset)', async () => {
    await assert.rejects(transport().send({ method: 'GET', url: `${server.url}/reset` }), isError(TransportError, 'transportReset'));
  });

  it('keeps secrets out of the error message', async () => {
    await assert.rejects(
      transport({ timeout: 200 }).send({ method: 'GET', url: `${server.url}/hang?code=secret-code-123&state=s` }),
      isError(TransportError, 'transportTimeout', (e) => !e.message.includes('secret-code-123') && e.message.includes(encodeURIComponent(REDACTED))),
    );
  });
});

describe('Transport: redirects', () => {
  it('manual (the default) hands the 3xx over', async () => {
    const response = await transport().send({ method: 'GET', url: `${server.url}/start` });
    assert.equal(response.status, 302);
    assert.equal(response.headers['location'], '/end');
  });

  it('error refuses any redirect (transportRedirect)', async () => {
    await assert.rejects(transport({ redirect: 'error' }).send({ method: 'GET', url: `${server.url}/start` }), isError(TransportError, 'transportRedirect'));
  });

  it('{follow: n} follows a redirect and reports the URL that answered', async () => {
    const response = await transport({ redirect: { follow: 3 } }).send({ method: 'GET', url: `${server.url}/start` });
    assert.equal(response.status, 200);
    assert.equal(response.body, '{"arrived":true}');
    assert.equal(response.url, `${server.url}/end`);
  });

  it('{follow: n} detects a loop before the limit (transportRedirect)', async () => {
    const t = transport({ redirect: { follow: 10 } });
    const hops: string[] = [];
    t.onExchange((exchange) => hops.push(new URL(exchange.request.url).pathname));
    await assert.rejects(t.send({ method: 'GET', url: `${server.url}/loop/a` }), isError(TransportError, 'transportRedirect', (e) => e.detail['hops'] === 2));
    assert.deepEqual(hops, ['/loop/a', '/loop/b']);
  });

  it('{follow: n} stops after n redirects (transportRedirect)', async () => {
    const t = transport({ redirect: { follow: 2 } });
    let count = 0;
    t.onExchange(() => { count += 1; });
    await assert.rejects(t.send({ method: 'GET', url: `${server.url}/chain/0` }), isError(TransportError, 'transportRedirect', (e) => e.detail['hops'] === 3));
    assert.equal(count, 3);
  });

  it('{follow: n} does not follow a redirect of a POST (transportRedirect)', async () => {
    await assert.rejects(transport({ redirect: { follow: 3 } }).send({ method: 'POST', url: `${server.url}/start`, body: 'a=1' }), isError(TransportError, 'transportRedirect'));
  });

  it('{follow: n} does not carry the Authorization header to another origin', async () => {
    seenByOther.length = 0;
    const response = await transport({ redirect: { follow: 3 } }).send({ method: 'GET', url: `${server.url}/cross`, headers: { Authorization: 'Bearer access-token-for-op-only' } });
    assert.equal(response.status, 200);
    assert.equal(seenByOther.length, 1);
    assert.equal(seenByOther[0]?.['authorization'], undefined);
  });
});

describe('Transport: recorded exchanges are redacted', () => {
  let context: ServiceContext;
  before(async () => {
    context = await makeContext({ providerInfo: { token_endpoint: `${server.url}/token`, userinfo_endpoint: `${server.url}/json` }, config: { allow: { http_links: true } } });
  });

  const leaks = (recorded: Exchange[], secrets: string[]) => {
    const text = JSON.stringify(recorded);
    return secrets.filter((s) => text.includes(s));
  };

  it('a token exchange (client_secret_basic, code, PKCE verifier, tokens, ID token signature) leaves no secret', async () => {
    const recorded: Exchange[] = [];
    const t = transport({ secrets: () => context.secrets() });
    t.onExchange((e) => recorded.push(e));
    const session = await authorizedSession(context, { pkce: true }, 'authorization-code-SECRET');
    const request = await new AccessToken(context).getRequestParameters({ state: session.state });
    const basic = (request.headers?.['Authorization'] ?? '').slice('Basic '.length);
    const verifier = new URLSearchParams(request.body).get('code_verifier') ?? '';
    assert.ok(basic.length > 20 && verifier.length === 43);
    const response = await t.send(request);
    assert.equal(response.status, 200);
    assert.equal(recorded.length, 1);
    const signature = idToken.split('.')[2] ?? '';
    assert.deepEqual(leaks(recorded, [CLIENT_SECRET, basic, 'authorization-code-SECRET', verifier, 'access-token-SECRET-1', 'refresh-token-SECRET-1', signature, 'cookie-secret-value']), []);
    const exchange = recorded[0]!;
    assert.equal(exchange.request.headers['Authorization'], `Basic ${REDACTED}`);
    assert.ok(exchange.response?.body.includes(idToken.split('.').slice(0, 2).join('.')), 'the ID token\'s header and claims stay readable');
    assert.equal(typeof exchange.ms, 'number');
    assert.ok(!Number.isNaN(Date.parse(exchange.startedAt)));
  });

  it('client_secret_post and client_secret_jwt bodies leave no secret', async () => {
    const recorded: Exchange[] = [];
    const t = transport({ secrets: () => context.secrets() });
    t.onExchange((e) => recorded.push(e));
    for (const method of ['client_secret_post', 'client_secret_jwt']) {
      const session = await authorizedSession(context, {}, `code-${method}-SECRET`);
      const request = await new AccessToken(context).getRequestParameters({ state: session.state, authn_method: method });
      const assertion = new URLSearchParams(request.body).get('client_assertion');
      await t.send(request);
      const secrets = [CLIENT_SECRET, `code-${method}-SECRET`, ...(assertion ? [assertion.split('.')[2] ?? ''] : [])];
      assert.deepEqual(leaks(recorded, secrets), [], method);
    }
  });

  it('a userinfo request leaves no access token, in the header or in a form body', async () => {
    const recorded: Exchange[] = [];
    const t = transport();
    t.onExchange((e) => recorded.push(e));
    const { state } = await tokenSession(context, { token: { access_token: 'userinfo-access-token-SECRET' } });
    const userinfo = new UserInfo(context);
    await t.send(await userinfo.getRequestParameters({ state }));
    await t.send(await userinfo.getRequestParameters({ state, token_placement: 'bearer_body' }));
    assert.equal(recorded.length, 2);
    assert.deepEqual(leaks(recorded, ['userinfo-access-token-SECRET']), []);
    assert.equal(recorded[1]?.request.body, `access_token=${encodeURIComponent(REDACTED)}`);
    assert.equal(recorded[0]?.request.headers['Authorization'], `Bearer ${REDACTED}`);
  });

  it('a code in a URL query is redacted, and so is a failed exchange', async () => {
    const recorded: Exchange[] = [];
    const t = transport({ timeout: 200 });
    t.onExchange((e) => recorded.push(e));
    await t.send({ method: 'GET', url: `${server.url}/json?code=query-code-SECRET&state=abc` });
    await assert.rejects(t.send({ method: 'GET', url: `${server.url}/hang?code=hang-code-SECRET` }), isError(TransportError, 'transportTimeout'));
    assert.deepEqual(leaks(recorded, ['query-code-SECRET', 'hang-code-SECRET']), []);
    assert.equal(recorded[1]?.error?.check, 'transportTimeout');
    assert.ok(recorded[0]?.request.url.includes('state=abc'));
  });

  it('a known secret is scrubbed from response headers too', async () => {
    const recorded: Exchange[] = [];
    const t = transport({ secrets: () => [CLIENT_SECRET] });
    t.onExchange((e) => recorded.push(e));
    await t.send({ method: 'GET', url: `${server.url}/echo-header`, headers: { 'X-Client-Hint': CLIENT_SECRET } });
    assert.deepEqual(leaks(recorded, [CLIENT_SECRET]), []);
  });

  it('the function onExchange returns removes the listener', async () => {
    let count = 0;
    const t = transport();
    const remove = t.onExchange(() => { count += 1; });
    await t.send({ method: 'GET', url: `${server.url}/json` });
    remove();
    await t.send({ method: 'GET', url: `${server.url}/json` });
    assert.equal(count, 1);
  });
});

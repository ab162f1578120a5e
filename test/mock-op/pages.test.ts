/**
 * The pages of the mock OP served by hand: the index of plans and tests, and a test's log page with
 * what the OP saw (secrets redacted) and the verdict for either outcome of the RP.
 *
 * Run: node --import tsx --test test/mock-op/pages.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateOpKeys, startMockOpServer, type MockOpServer } from '../../mock-op/index.js';
import { harnessPages } from '../../mock-op/pages.js';

let server: MockOpServer;
before(async () => {
  server = await startMockOpServer({ port: 0, keys: await generateOpKeys({ spares: 0 }), pages: harnessPages });
});
after(() => server.close());

/** The text of a page, without its markup. */
async function text(path: string): Promise<string> {
  const response = await fetch(`${server.url}${path}`);
  assert.equal(response.status, 200, path);
  return (await response.text()).replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/\s+/g, ' ');
}

describe('serve-op pages', () => {
  it('lists every plan with its tests, what each expects of the RP, what to configure, and the issuers of an rp_id', async () => {
    const index = await text('/?rp_id=acme');
    assert.match(index, /basic: response_type=code/);
    assert.match(index, /form-post: response_type=code id_token token, response_mode=form_post/);
    assert.match(index, new RegExp(`oidcc-client-test-userinfo-signed .*Configure: register userinfo_signed_response_alg RS256 ${server.url}/acme/oidcc-client-test-userinfo-signed`));
  });

  it('shows what the OP saw in a test, with the client secret and the code redacted, and the verdict', async () => {
    const issuer = `${server.url}/acme/oidcc-client-test-invalid-iss`;
    assert.match(await text('/logs/acme/oidcc-client-test-invalid-iss'), /Nothing yet/);
    const client = (await (await fetch(`${issuer}/registration`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:1/cb'], token_endpoint_auth_method: 'client_secret_post' }) })).json()) as { client_id: string; client_secret: string };
    const authorization = await fetch(`${issuer}/authorization?${new URLSearchParams({ client_id: client.client_id, redirect_uri: 'http://127.0.0.1:1/cb', response_type: 'code', scope: 'openid', nonce: 'n' })}`, { redirect: 'manual' });
    const code = new URL(authorization.headers.get('location')!).searchParams.get('code')!;
    await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:1/cb', client_id: client.client_id, client_secret: client.client_secret }),
    });
    const log = await text('/logs/acme/oidcc-client-test-invalid-iss');
    assert.match(log, /If the RP logged the user in, the verdict is failed : the RP accepted the ID token, which it must refuse/);
    assert.match(log, /If the RP refused, the verdict is passed : the RP refused the ID token and sent nothing that depends on it/);
    assert.match(log, /What the OP received \(3\)/);
    assert.ok(!log.includes(client.client_secret), 'the client secret is redacted');
    assert.ok(!log.includes(code), 'the code is redacted');
    assert.match(log, /client_secret=%5BREDACTED%5D/);
  });

  it('says which test ids exist when asked for another', async () => {
    const response = await fetch(`${server.url}/logs/acme/no-such-test`);
    assert.equal(response.status, 404);
    assert.match(await response.text(), /No test has the id/);
  });
});

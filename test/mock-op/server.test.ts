/**
 * The conformance OP on a real loopback HTTP server (no MSW in this file: real sockets).
 *
 * Run: node --import tsx --test test/mock-op/server.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { generateOpKeys, startMockOpServer } from '../../mock-op/index.js';
import type { OpKeys } from '../../mock-op/index.js';

let keys: OpKeys;

before(async () => {
  keys = await generateOpKeys({ spares: 0 });
});

describe('startMockOpServer', () => {
  it('serves discovery, WebFinger, registration and a code flow on 127.0.0.1, then closes', async () => {
    const server = await startMockOpServer({ port: 0, keys });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(server.port > 0);
      const issuer = `${server.url}/oicrp/rp-id_token-issuer-mismatch`;
      const discovery = await fetch(`${issuer}/.well-known/openid-configuration`);
      assert.equal(discovery.status, 200);
      const doc = (await discovery.json()) as Record<string, unknown>;
      assert.equal(doc.issuer, issuer);
      assert.equal(doc.token_endpoint, `${issuer}/token`);

      const webfinger = await fetch(`${server.url}/.well-known/webfinger?resource=${encodeURIComponent(`acct:oicrp.rp-id_token-issuer-mismatch@127.0.0.1:${server.port}`)}`);
      assert.equal(((await webfinger.json()) as { links: Array<{ href: string }> }).links[0]?.href, issuer);

      const registration = await fetch(`${issuer}/registration`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:1/cb'] }),
      });
      assert.equal(registration.status, 201);
      const client = (await registration.json()) as { client_id: string; client_secret: string };
      const authorization = await fetch(`${issuer}/authorization?${new URLSearchParams({ client_id: client.client_id, redirect_uri: 'http://127.0.0.1:1/cb', response_type: 'code', scope: 'openid' })}`, { redirect: 'manual' });
      assert.equal(authorization.status, 303);
      const code = new URL(authorization.headers.get('location')!).searchParams.get('code')!;
      const token = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:1/cb' }),
      });
      assert.equal(token.status, 200);
      assert.equal(decodeJwt(String(((await token.json()) as Record<string, unknown>).id_token)).iss, `${issuer}1`);
      assert.deepEqual(server.op.requestsFor('oicrp', 'rp-id_token-issuer-mismatch').all().map((e) => e.endpoint), ['discovery', 'webfinger', 'registration', 'authorization', 'token']);

      assert.equal((await fetch(`${server.url}/nothing`)).status, 404);
    } finally {
      await server.close();
    }
    await assert.rejects(fetch(`${server.url}/oicrp/oidcc-client-test/.well-known/openid-configuration`));
  });
});

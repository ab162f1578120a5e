/**
 * The conformance OP on a real loopback HTTP server (no MSW in this file: real sockets).
 *
 * Run: node --import tsx --test test/mock-op/server.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { Agent } from 'undici';
import { createRunAuthority } from '../../mock-op/tls.js';
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

  it('follows the host the RP used: localhost and 127.0.0.1 each get their own issuer, another host the default', async () => {
    const server = await startMockOpServer({ port: 0, keys });
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const issuer = `http://${host}:${server.port}/rp/oidcc-client-test`;
        const doc = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
        assert.equal(doc.issuer, issuer, host);
        assert.equal(doc.token_endpoint, `${issuer}/token`);
      }
      assert.equal(server.op.requestsFor('rp', 'oidcc-client-test', `http://localhost:${server.port}`).length, 1);
      assert.equal(server.op.requestsFor('rp', 'oidcc-client-test').length, 1, 'the 127.0.0.1 issuer kept its own log');
      assert.equal(server.accepts(`http://evil.example:${server.port}`), false);
    } finally {
      await server.close();
    }
  });

  it('serves https with the run\'s authority, which a client that trusts it accepts for every loopback name', async () => {
    const authority = await createRunAuthority();
    const server = await startMockOpServer({ port: 0, keys, tls: { cert: authority.certPem, key: authority.keyPem } });
    const trusting = new Agent({ connect: { ca: authority.caPem } });
    try {
      assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      for (const host of ['127.0.0.1', 'localhost']) {
        const issuer = `https://${host}:${server.port}/rp/oidcc-client-test`;
        const response = await fetch(`${issuer}/.well-known/openid-configuration`, { dispatcher: trusting } as unknown as RequestInit) // the global fetch takes an undici dispatcher; its types are a copy of undici's own;
        assert.equal(((await response.json()) as Record<string, unknown>).issuer, issuer);
      }
      await assert.rejects(fetch(`${server.url}/rp/oidcc-client-test/.well-known/openid-configuration`), 'a client that does not trust the run\'s authority refuses it');
    } finally {
      await trusting.close();
      await server.close();
    }
  });

  it('answers a body over the limit with 413 without reading it, and keeps serving', async () => {
    const server = await startMockOpServer({ port: 0, keys, maxBodyBytes: 1024 });
    try {
      const issuer = `${server.url}/rp/oidcc-client-test`;
      const big = await fetch(`${issuer}/registration`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'x'.repeat(64 * 1024) });
      assert.equal(big.status, 413);
      assert.match(await big.text(), /larger than 1024 bytes/);
      // A body that declares no length and streams past the limit is cut off too.
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${issuer}/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' } }, (res) => resolve(res.statusCode ?? 0));
        req.on('error', reject);
        for (let i = 0; i < 8; i += 1) req.write('a'.repeat(512));
        req.end();
      });
      assert.equal(status, 413);
      assert.equal((await fetch(`${issuer}/.well-known/openid-configuration`)).status, 200);
      assert.equal(server.op.requestsFor('rp', 'oidcc-client-test').all().map((e) => e.endpoint).join(), 'discovery', 'refused bodies never reached the OP');
    } finally {
      await server.close();
    }
  });

  it('drops a client that never finishes its headers', async () => {
    const server = await startMockOpServer({ port: 0, keys, headersTimeoutMs: 200 });
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => socket.write('GET /rp/oidcc-client-test/.well-known/openid-configuration HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
        let text = '';
        socket.on('data', (chunk) => { text += chunk.toString(); });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      assert.match(answer, /^HTTP\/1\.1 408/);
    } finally {
      await server.close();
    }
  });
});

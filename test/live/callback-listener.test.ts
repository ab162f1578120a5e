/** The RP's real HTTP listener: requests become Fetch API requests, responses are written back. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startCallbackListener } from '../../live/callback-listener.js';

describe('startCallbackListener', () => {
  it('hands GET and form POST requests to the handler and records their parameters', async () => {
    const listener = await startCallbackListener({
      handler: async (request) => {
        const url = new URL(request.url);
        if (url.pathname !== '/cb') return undefined;
        const body = request.method === 'POST' ? await request.text() : '';
        const headers = new Headers({ 'content-type': 'text/plain' });
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; Path=/');
        return new Response(`${request.method} ${url.search} ${body}`, { status: 201, headers });
      },
    });
    try {
      assert.match(listener.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const get = await fetch(`${listener.url}/cb?code=abc&state=s1`);
      assert.equal(get.status, 201);
      assert.equal(await get.text(), 'GET ?code=abc&state=s1 ');
      assert.deepEqual(get.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/']);

      const waiting = listener.waitForRequest((r) => r.params.get('state') === 's2', 2_000);
      const post = await fetch(`${listener.url}/cb`, {
        method: 'POST',
        body: new URLSearchParams({ code: 'def', state: 's2' }),
      });
      assert.equal(await post.text(), 'POST  code=def&state=s2');
      const received = await waiting;
      assert.equal(received.method, 'POST');
      assert.equal(received.params.get('code'), 'def');
      assert.equal(received.url, `${listener.url}/cb`);

      assert.equal((await fetch(`${listener.url}/elsewhere`)).status, 404);
      assert.equal(listener.requests.length, 3);
      const early = await listener.waitForRequest((r) => r.params.get('state') === 's1', 10);
      assert.equal(early.params.get('code'), 'abc');
      await assert.rejects(listener.waitForRequest(() => false, 50), /within 50 ms/);
    } finally {
      await listener.close();
    }
  });

  it('answers 500 when the handler throws, and keeps the error', async () => {
    const listener = await startCallbackListener({ handler: async () => { throw new Error('boom'); } });
    try {
      assert.equal((await fetch(`${listener.url}/cb`)).status, 500);
      assert.equal(listener.handlerErrors[0]?.message, 'boom');
    } finally {
      await listener.close();
    }
  });

  it('close() frees the port and rejects pending waits', async () => {
    const listener = await startCallbackListener();
    const pending = listener.waitForRequest(() => false, 5_000);
    await listener.close();
    await assert.rejects(pending, /closed/);
    await assert.rejects(fetch(`${listener.url}/cb`));
  });
});

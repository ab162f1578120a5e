/**
 * The fault tests on the real loopback server (mock-op/server.ts, real sockets, no MSW), driven by
 * the RP's own Transport: the same faults as in process, with what only a socket shows (a reset is
 * a destroyed socket, `transportReset`; a client that gives up closes the connection and the OP
 * stops). Every request is bounded by a short transport timeout and every test by a test timeout;
 * nothing here measures time.
 *
 * Run: node --import tsx --test test/mock-op/fault-server.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Transport, TransportError, type RedirectPolicy } from '../../src/index.js';
import {
  OVERSIZED_BYTES,
  REDIRECT_DETOUR_PATH,
  findFaultTest,
  generateOpKeys,
  startMockOpServer,
  type MockOpServer,
} from '../../mock-op/index.js';

/** The transport's overall deadline in these tests, in milliseconds. */
const DEADLINE_MS = 300;
/** The transport's size limit in these tests, in bytes. */
const LIMIT = 64 * 1024;
/** A bound on every test. */
const BOUNDED = { timeout: 10_000 };

let server: MockOpServer;
const transports: Transport[] = [];

before(async () => {
  server = await startMockOpServer({ port: 0, keys: await generateOpKeys({ spares: 0 }) });
});

after(async () => {
  for (const transport of transports) await transport.close();
  await server.close();
});

/** A deadline for answers that do come: long enough for a loaded machine, so only the timeout tests time out. */
const ANSWER_MS = 5000;

/** An RP transport with a deadline (the tests' short one by default) and the size limit. */
function transport(redirect: RedirectPolicy = 'manual', timeout = DEADLINE_MS): Transport {
  const created = new Transport({ timeout, maxResponseBytes: LIMIT, redirect });
  transports.push(created);
  return created;
}

/** The issuer of a fault test on the server, for its own rp_id. */
function issuer(rpId: string, testId: string): string {
  return `${server.url}/${rpId}/${testId}`;
}

/** The discovery URL of a fault test. */
function discovery(rpId: string, testId: string): string {
  return `${issuer(rpId, testId)}/.well-known/openid-configuration`;
}

/** Asserts a TransportError with the check; returns it. */
async function transportError(promise: Promise<unknown>, check: string): Promise<TransportError> {
  let caught: unknown;
  await promise.then(
    () => assert.fail(`expected ${check}, got an answer`),
    (error: unknown) => {
      caught = error;
    },
  );
  assert.ok(caught instanceof TransportError, `a TransportError, not ${String(caught)}`);
  assert.equal(caught.check, check, caught.message);
  return caught;
}

/** Waits (bounded by the test's timeout) until `done` holds. */
async function eventually(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the fault tests on the loopback server', () => {
  it('never answers: the RP times out, and the OP stops once the client has gone', BOUNDED, async () => {
    const error = await transportError(transport().send({ method: 'GET', url: discovery('rp1', 'fault-never-answers') }), 'transportTimeout');
    assert.equal(error.detail['timeout'], DEADLINE_MS);
    const log = server.op.requestsFor('rp1', 'fault-never-answers');
    // The pending answer settles (status 0: a network error nobody reads) when the socket closes.
    await eventually(() => log.last('discovery')?.status === 0);
    assert.equal(log.length, 1);
  });

  it('never answers: a plain fetch aborted by its client gets an AbortError, and the OP stops', BOUNDED, async () => {
    const client = new AbortController();
    const pending = fetch(discovery('rp2', 'fault-never-answers'), { signal: client.signal });
    const log = server.op.requestsFor('rp2', 'fault-never-answers');
    await eventually(() => log.length === 1);
    client.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    await eventually(() => log.last('discovery')?.status === 0);
  });

  it('trickles: headers come at once, then one byte at a time; the RP times out', BOUNDED, async () => {
    const client = new AbortController();
    const response = await fetch(discovery('rp3', 'fault-slow-body'), { signal: client.signal });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-length'), null, 'streamed, not buffered');
    const reader = response.body!.getReader();
    const seen: number[] = [];
    while (seen.length < 3) {
      const { done, value } = await reader.read();
      assert.ok(!done, 'the body goes on');
      assert.equal(value.byteLength, 1, 'one byte per chunk');
      seen.push(...value);
    }
    assert.equal(Buffer.from(seen).toString(), '{"i', 'the well-behaved document, slowly');
    client.abort();
    await assert.rejects(reader.read());

    const error = await transportError(transport().send({ method: 'GET', url: discovery('rp3', 'fault-slow-body') }), 'transportTimeout');
    assert.equal(error.detail['timeout'], DEADLINE_MS);
  });

  it('resets the connection: a destroyed socket, which the RP reports as transportReset', BOUNDED, async () => {
    assert.equal(findFaultTest('fault-connection-reset')?.failure.overSocket, 'transportReset');
    await transportError(transport('manual', ANSWER_MS).send({ method: 'GET', url: discovery('rp4', 'fault-connection-reset') }), 'transportReset');
    const token = transport('manual', ANSWER_MS).send({
      method: 'POST',
      url: `${issuer('rp4', 'fault-token-connection-reset')}/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=x',
    });
    await transportError(token, 'transportReset');
    // Discovery of the token fault behaves.
    assert.equal((await transport('manual', ANSWER_MS).send({ method: 'GET', url: discovery('rp4', 'fault-token-connection-reset') })).status, 200);
  });

  it('answers 500, and 503 with Retry-After', BOUNDED, async () => {
    const failed = await transport('manual', ANSWER_MS).send({ method: 'GET', url: discovery('rp5', 'fault-server-error') });
    assert.equal(failed.status, 500);
    const busy = await transport('manual', ANSWER_MS).send({ method: 'GET', url: discovery('rp5', 'fault-unavailable') });
    assert.equal(busy.status, 503);
    assert.equal(busy.headers['retry-after'], '120');
    const token = await transport('manual', ANSWER_MS).send({
      method: 'POST',
      url: `${issuer('rp5', 'fault-token-unavailable')}/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=x',
    });
    assert.equal(token.status, 503);
    assert.equal(token.headers['retry-after'], '120');
  });

  it('loops redirects A -> B -> A: handed over as a 302, or refused by an RP that follows', BOUNDED, async () => {
    const first = await transport('manual', ANSWER_MS).send({ method: 'GET', url: discovery('rp6', 'fault-redirect-loop') });
    assert.equal(first.status, 302);
    assert.equal(first.headers['location'], `${issuer('rp6', 'fault-redirect-loop')}${REDIRECT_DETOUR_PATH}`);
    const error = await transportError(transport({ follow: 10 }, ANSWER_MS).send({ method: 'GET', url: discovery('rp6', 'fault-redirect-loop') }), 'transportRedirect');
    assert.equal(error.detail['hops'], 2, 'noticed when the loop came back to A');
    assert.deepEqual(server.op.requestsFor('rp6', 'fault-redirect-loop').all().map((r) => r.endpoint), ['discovery', 'discovery', 'unknown'], 'the RP saw B lead back to A and stopped');
  });

  it('floods: 5 MiB streamed, or declared in Content-Length; the RP stops at its limit', BOUNDED, async () => {
    const counted = await transportError(transport('manual', ANSWER_MS).send({ method: 'GET', url: discovery('rp7', 'fault-oversized-body') }), 'transportSize');
    assert.equal(counted.detail['limit'], LIMIT);
    const declared = await transportError(transport('manual', ANSWER_MS).send({ method: 'GET', url: discovery('rp7', 'fault-oversized-length') }), 'transportSize');
    assert.match(declared.message, new RegExp(`declares ${OVERSIZED_BYTES} bytes`));
  });

  it('answers HTML where JSON is expected', BOUNDED, async () => {
    const page = await transport('manual', ANSWER_MS).send({ method: 'GET', url: discovery('rp8', 'fault-html') });
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'] ?? '', /^text\/html/);
    assert.match(page.body, /<html>/);
  });
});

/**
 * The fault tests in process (`op.handle`, no network, no MSW): each id resolves at the conformance
 * OP but stays out of the RP-TESTS.md catalogue, strikes at its one endpoint only, and answers as its
 * row says. Never-answering and trickling answers stop when the request's signal aborts. Bounded in
 * time; nothing here measures time.
 *
 * Run: node --import tsx --test test/mock-op/faults.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CONFORMANCE_TESTS,
  FAULT_TESTS,
  OVERSIZED_BYTES,
  REDIRECT_DETOUR_PATH,
  RETRY_AFTER_SECONDS,
  allTestIds,
  createConformanceOp,
  faultTestIds,
  findConformanceTest,
  findFaultTest,
  generateOpKeys,
  isFaultTest,
  isStreamedResponse,
  testsForProfile,
} from '../../mock-op/index.js';
import type { ConformanceOp } from '../../mock-op/index.js';

const BASE = 'https://op.example';
const BOUNDED = { timeout: 10_000 };
let op: ConformanceOp;
let rps = 0;

before(async () => {
  op = await createConformanceOp({ base: BASE, keys: await generateOpKeys({ spares: 0 }) });
});

/** The issuer of a fault test at a fresh rp_id (a fresh provider). */
function issuer(testId: string): string {
  rps += 1;
  return op.issuerFor(`rp${rps}`, testId);
}

/** A discovery request, optionally with a signal. */
function discovery(iss: string, signal?: AbortSignal): Request {
  return new Request(`${iss}/.well-known/openid-configuration`, signal === undefined ? {} : { signal });
}

/** A token request (its content does not matter to a fault). */
function tokenRequest(iss: string, signal?: AbortSignal): Request {
  return new Request(`${iss}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=authorization_code&code=x&redirect_uri=https%3A%2F%2Frp.example%2Fcb',
    ...(signal === undefined ? {} : { signal }),
  });
}

/** The OP's answer (it must answer). */
async function answer(request: Request): Promise<Response> {
  const response = await op.handle(request);
  assert.ok(response, `the OP answers ${request.url}`);
  return response;
}

/** Whether a promise is still pending after the event loop has turned a few times. */
async function pending(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
  return !settled;
}

describe('the fault tests as data', () => {
  it('are served by id but are no rows of the catalogue', () => {
    assert.equal(FAULT_TESTS.length, 12);
    assert.deepEqual(faultTestIds(), FAULT_TESTS.map((t) => t.name).sort());
    const catalogueIds = new Set(allTestIds());
    for (const test of FAULT_TESTS) {
      assert.match(test.name, /^fault-[a-z-]+$/);
      assert.equal(findFaultTest(test.name), test);
      assert.equal(op.testFor(test.name), test, 'the conformance OP resolves it');
      assert.ok(isFaultTest(test));
      assert.ok(!CONFORMANCE_TESTS.includes(test), 'not in CONFORMANCE_TESTS');
      assert.equal(findConformanceTest(test.name), undefined);
      assert.ok(!catalogueIds.has(test.name));
      assert.ok(!testsForProfile('X').includes(test), 'not in any profile list');
      assert.deepEqual(test.profiles, ['X']);
      assert.equal(test.expected, 'reject');
      assert.ok(test.description.length > 10 && !test.description.includes('\n'));
      assert.equal(test.rejectedAt, test.endpoint === 'discovery' ? 'discovery' : undefined);
    }
    for (const test of CONFORMANCE_TESTS) assert.ok(!isFaultTest(test), test.name);
  });

  it('say how a robust RP fails', () => {
    const failures = Object.fromEntries(FAULT_TESTS.map((t) => [t.name, t.failure]));
    assert.deepEqual(failures['fault-connection-reset'], { error: 'TransportError', check: 'transportNetwork', overSocket: 'transportReset' });
    assert.deepEqual(failures['fault-redirect-loop'], { error: 'ResponseError', check: 'checkHttpStatus', status: 302, following: 'transportRedirect' });
    for (const test of FAULT_TESTS) {
      const { error, check } = test.failure;
      assert.equal(error, check.startsWith('transport') ? 'TransportError' : 'ResponseError', test.name);
      if (check === 'checkHttpStatus') assert.ok(test.failure.status !== undefined, test.name);
    }
  });
});

describe('the fault tests in process', () => {
  it('strike at their endpoint only', BOUNDED, async () => {
    for (const test of FAULT_TESTS.filter((t) => t.endpoint === 'token')) {
      const iss = issuer(test.name);
      const doc = (await (await answer(discovery(iss))).json()) as Record<string, unknown>;
      assert.equal(doc.issuer, iss, `${test.name}: discovery behaves`);
    }
    for (const test of FAULT_TESTS.filter((t) => t.endpoint === 'discovery')) {
      const iss = issuer(test.name);
      const jwks = await answer(new Request(`${iss}/jwks`));
      assert.equal(jwks.status, 200, `${test.name}: the JWKS behaves`);
      const token = await answer(tokenRequest(iss));
      assert.equal(token.status, 401, `${test.name}: the token endpoint behaves`);
      assert.equal(((await token.json()) as { error: string }).error, 'invalid_client', `${test.name}: no client, an OAuth error`);
    }
  });

  it('never answers until the request is aborted, then settles with a network error', BOUNDED, async () => {
    for (const [id, request] of [
      ['fault-never-answers', (iss: string, signal: AbortSignal) => discovery(iss, signal)],
      ['fault-token-never-answers', (iss: string, signal: AbortSignal) => tokenRequest(iss, signal)],
    ] as const) {
      const client = new AbortController();
      const iss = issuer(id);
      const answered = op.handle(request(iss, client.signal));
      assert.ok(await pending(answered), `${id}: no answer yet`);
      client.abort();
      const response = await answered;
      assert.equal(response?.type, 'error');
    }
  });

  it('trickles the discovery document one byte at a time and stops when the request is aborted', BOUNDED, async () => {
    const client = new AbortController();
    const response = await answer(discovery(issuer('fault-slow-body'), client.signal));
    assert.equal(response.status, 200);
    assert.ok(isStreamedResponse(response));
    const reader = response.body!.getReader();
    const bytes: number[] = [];
    while (bytes.length < 8) {
      const { done, value } = await reader.read();
      assert.ok(!done);
      assert.equal(value.byteLength, 1);
      bytes.push(...value);
    }
    assert.equal(Buffer.from(bytes).toString(), '{"issuer');
    client.abort();
    await assert.rejects(reader.read(), { name: 'AbortError' });
  });

  it('holds a timer only while a trickled chunk is awaited, none once cancelled or aborted', BOUNDED, async () => {
    const count = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    /** The active timers once the stream has had a turn of the event loop to schedule (or clear) one. */
    const timers = async (): Promise<number> => {
      await new Promise((resolve) => setImmediate(resolve));
      return count();
    };
    const idle = await timers();
    const response = await answer(discovery(issuer('fault-slow-body')));
    const reader = response.body!.getReader();
    await reader.read();
    assert.equal(await timers(), idle, 'nothing scheduled while nobody reads');
    const waiting = reader.read();
    assert.equal(await timers(), idle + 1, 'one timer for the chunk being awaited');
    await reader.cancel();
    assert.equal((await waiting).done, true);
    assert.equal(await timers(), idle, 'cancelled: no timer left');

    const client = new AbortController();
    const aborted = (await answer(discovery(issuer('fault-slow-body'), client.signal))).body!.getReader();
    const next = aborted.read();
    assert.equal(await timers(), idle + 1);
    client.abort();
    await assert.rejects(next, { name: 'AbortError' });
    assert.equal(await timers(), idle, 'aborted: no timer left');

    const never = op.handle(discovery(issuer('fault-never-answers')));
    assert.ok(await pending(never));
    assert.equal(await timers(), idle, 'never answering holds no timer');
  });

  it('drops the connection: Response.error()', BOUNDED, async () => {
    assert.equal((await answer(discovery(issuer('fault-connection-reset')))).type, 'error');
    assert.equal((await answer(tokenRequest(issuer('fault-token-connection-reset')))).type, 'error');
  });

  it('answers 500, and 503 with Retry-After', BOUNDED, async () => {
    const failed = await answer(discovery(issuer('fault-server-error')));
    assert.equal(failed.status, 500);
    assert.match(failed.headers.get('content-type') ?? '', /^text\/plain/);
    for (const response of [await answer(discovery(issuer('fault-unavailable'))), await answer(tokenRequest(issuer('fault-token-unavailable')))]) {
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('retry-after'), String(RETRY_AFTER_SECONDS));
    }
  });

  it('loops redirects A -> B -> A', BOUNDED, async () => {
    const iss = issuer('fault-redirect-loop');
    const a = await answer(discovery(iss));
    assert.equal(a.status, 302);
    const b = a.headers.get('location');
    assert.equal(b, `${iss}${REDIRECT_DETOUR_PATH}`);
    const back = await answer(new Request(b));
    assert.equal(back.status, 302);
    assert.equal(back.headers.get('location'), `${iss}/.well-known/openid-configuration`);
  });

  it('floods: a valid 5 MiB JSON document, with or without Content-Length', BOUNDED, async () => {
    const iss = issuer('fault-oversized-body');
    const counted = await answer(discovery(iss));
    assert.equal(counted.headers.get('content-length'), null);
    const text = await counted.text();
    assert.equal(Buffer.byteLength(text), OVERSIZED_BYTES);
    assert.equal((JSON.parse(text) as { issuer: string }).issuer, iss, 'the well-behaved document, padded');
    const declared = await answer(discovery(issuer('fault-oversized-length')));
    assert.equal(declared.headers.get('content-length'), String(OVERSIZED_BYTES));
    await declared.body?.cancel();
  });

  it('answers an HTML page where JSON is expected', BOUNDED, async () => {
    const page = await answer(discovery(issuer('fault-html')));
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /<html>/);
  });
});

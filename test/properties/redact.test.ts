/**
 * Properties of the redaction functions (redactJwts, redactValues, redactUrl, redactBody,
 * redactHeaders, redactExchange): they never throw, never hang, and never let a secret through
 * where their documentation says they remove it.
 *
 * Redaction runs on every recorded exchange, so its input is whatever an OP (or an attacker
 * posing as one) sends. The robustness property, with huge hostile inputs, runs the calls in a
 * worker thread with a deadline: a regular expression that backtracks for minutes on a few hundred
 * KB cannot be interrupted from the thread running it, and a property that merely waited would
 * hang the suite instead of failing. The secrecy properties use small inputs and call the
 * functions directly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { SECRET_NAMES, redactBody, redactExchange, redactHeaders, redactJwts, redactUrl } from '../../src/transport/redact.js';
import { CONTENT_TYPES, anyKey, deepText, depth, someUrl } from './_arbitraries.js';
import { TEST_TIMEOUT, params, syncParams } from './_support.js';
import { COMPILED } from '../fixtures/root.js';

/** How long one redaction call may take. Legitimate calls on 400 KB take a few ms to a few tens. */
const DEADLINE_MS = 2_000;

type Call = { fn: string; args: unknown[] };
type Reply = { ok: true; values: unknown[] } | { ok: false; index: number; error: string } | { timeout: true };

/** A worker running the redaction functions; killed and replaced when a call misses its deadline. */
class Redactor {
  #worker: Worker | undefined;
  #next = 0;
  readonly #pending = new Map<number, (reply: Reply) => void>();

  #spawn(): Worker {
    // Compiled, the worker is plain JavaScript; from the sources it registers tsx first.
    const worker = new Worker(new URL(COMPILED ? './_redact-worker.js' : './_redact-boot.mjs', import.meta.url));
    worker.on('message', (m: { id: number } & Reply) => {
      this.#pending.get(m.id)?.(m);
      this.#pending.delete(m.id);
    });
    worker.on('error', () => undefined);
    worker.unref();
    return worker;
  }

  /** Runs `calls` in order in the worker; the deadline covers the whole batch. */
  call(calls: Call[], deadline = DEADLINE_MS): Promise<Reply> {
    this.#worker ??= this.#spawn();
    const worker = this.#worker;
    const id = this.#next++;
    return new Promise<Reply>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        if (this.#worker === worker) this.#worker = undefined;
        void worker.terminate();
        resolve({ timeout: true });
      }, deadline);
      this.#pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      worker.postMessage({ id, calls });
    });
  }

  async close(): Promise<void> {
    await this.#worker?.terminate();
  }
}

const redactor = new Redactor();
before(async () => {
  // Start the worker (loading tsx takes a second) before any deadline applies.
  const warm = await redactor.call([{ fn: 'redactJwts', args: ['x'] }], 60_000);
  assert.ok('ok' in warm && warm.ok);
});
after(() => redactor.close());

/** Runs the calls in the worker; fails on a throw or a missed deadline; returns their values. */
async function runAll(calls: Call[]): Promise<unknown[]> {
  const reply = await redactor.call(calls);
  if ('timeout' in reply) assert.fail(`${calls.map((c) => c.fn).join(', ')} did not return within ${DEADLINE_MS} ms (a hang)`);
  if (!reply.ok) assert.fail(`${calls[reply.index]!.fn} threw ${reply.error}`);
  return reply.values;
}

/** Calls `fn` in the worker; fails on a throw or a missed deadline; returns the value. */
async function run(fn: string, ...args: unknown[]): Promise<unknown> {
  return (await runAll([{ fn, args }]))[0];
}

// ---------------------------------------------------------------------------------------------

/** A huge string, described so that reports stay short: `{ repeat, times }` becomes `repeat.repeat(times)` in the worker. */
const HOSTILE_PATTERNS = ['eyJ-', 'eyJa.', 'eyJ.a.', 'eyJ', 'name=a ', 'name="code" value="', 'value="', '%', 'a', '&code=', '.', '<input ', 'eyJ0.eyJ0.x-'] as const;
const hostile = fc.tuple(fc.constantFrom(...HOSTILE_PATTERNS), fc.integer({ min: 1_000, max: 300_000 })).map(([repeat, size]) => ({ repeat, times: Math.max(1, Math.floor(size / repeat.length)) }));
const text = fc.oneof(
  { weight: 16, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 8, arbitrary: fc.constantFrom('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', 'eyJhIjoxfQ.e30.YQ.YQ.YQ', '<input name="code" value="abc">', 'code=abc&state=x', '{"client_secret":"s3cret"}', '') },
  { weight: 1, arbitrary: hostile },
);
const headers = fc.array(fc.tuple(fc.oneof(fc.constantFrom('Authorization', 'authorization', 'Cookie', 'Set-Cookie', 'DPoP', 'Location', 'Content-Type', 'X-Other'), anyKey), text), { maxLength: 4 }).map((e) => Object.fromEntries(e));
const secrets = fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('s3cret-value', 'a', 'abc', '.*+?', '%%%%', 'eyJ-')), { maxLength: 3 });
const exchange = fc.record({
  request: fc.record({ method: fc.constantFrom('GET', 'POST'), url: fc.oneof(someUrl, text), headers, body: fc.option(text, { nil: undefined }) }, { requiredKeys: ['method', 'url', 'headers'] }),
  response: fc.option(fc.record({ status: fc.constantFrom(200, 302, 400), headers, body: text }), { nil: undefined }),
  error: fc.option(fc.record({ check: fc.constant('transportTimeout'), message: text }), { nil: undefined }),
  startedAt: fc.constant('2024-01-01T00:00:00.000Z'),
  ms: fc.constant(1),
}, { requiredKeys: ['request', 'startedAt', 'ms'] });

const call = fc.oneof(
  fc.tuple(fc.constant('redactJwts'), text).map(([fn, t]) => [fn, t] as const),
  fc.tuple(fc.constant('redactValues'), text, secrets).map(([fn, t, s]) => [fn, t, s] as const),
  fc.tuple(fc.constant('redactUrl'), fc.oneof(someUrl, text)).map(([fn, t]) => [fn, t] as const),
  fc.tuple(fc.constant('redactBody'), text, fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined })).map(([fn, t, ct]) => [fn, t, ct] as const),
  fc.tuple(fc.constant('redactHeaders'), headers).map(([fn, h]) => [fn, h] as const),
  fc.tuple(fc.constant('redactExchange'), exchange, secrets).map(([fn, e, s]) => [fn, e, s] as const),
);

describe('redaction: no throw, no hang', () => {
  // endOnFailure: shrinking a hang costs the deadline plus a worker restart per attempt, which
  // would take minutes; the generated case is already small to read (huge strings are printed
  // as { repeat, times }).
  it('every redaction function returns, in time, a value of the right type', { timeout: TEST_TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(call, async ([fn, ...args]) => {
        const value = await run(fn, ...args);
        if (fn === 'redactHeaders' || fn === 'redactExchange') assert.ok(value !== null && typeof value === 'object');
        else assert.equal(typeof value, 'string');
      }),
      params(undefined, { endOnFailure: true }),
    );
  });
});

// ---------------------------------------------------------------------------------------------

/** A secret value that appears nowhere else: base64url characters, so it can also be a JWS signature. */
const secretValue = fc.stringMatching(/^[A-Za-z0-9_-]{12}$/).map((s) => `Zq9${s}`);
const secretName = fc.constantFrom(...[...SECRET_NAMES]);

describe('redaction: secrets do not survive', () => {
  it('redactBody: no secret member of a JSON body survives, however deep the document', { timeout: TEST_TIMEOUT }, () => {
    const member = fc.tuple(secretName, secretValue, fc.constantFrom('top', 'nested', 'in array'), fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: depth }));
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 3 }), fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/problem+json'), (members, contentType) => {
        const doc: Record<string, unknown> = { other: 'x' };
        let deep: string | undefined;
        for (const [name, value, where, nesting] of members) {
          if (where === 'top') doc[name] = value;
          else if (where === 'nested') doc['outer'] = { [name]: value };
          else doc['list'] = [{ [name]: value }];
          if (nesting > 0) deep = deepText(nesting, 'mixed');
        }
        const body = deep === undefined ? JSON.stringify(doc) : JSON.stringify({ ...doc, deep: '\u0000' }).replace('"\\u0000"', deep);
        const out = redactBody(body, contentType);
        for (const [name, value] of members) assert.ok(!out.includes(value), `the ${name} value survived redaction of a JSON body${deep ? ' with a deeply nested member' : ''}`);
      }),
      syncParams(),
    );
  });

  it('redactBody: a form_post page keeps no secret field value, whatever the attribute order and quoting', { timeout: TEST_TIMEOUT }, () => {
    const quote = fc.constantFrom('"', "'", '');
    const field = fc.record({ name: secretName, value: secretValue, q1: quote, q2: quote, order: fc.boolean(), extra: fc.constantFrom('', ' type="hidden"', ' id="x"', ' data-x=">"'), space: fc.constantFrom(' ', '  ', '\n'), close: fc.constantFrom('>', '/>', ' />') });
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 3 }), fc.constantFrom('text/html', 'text/html; charset=utf-8', undefined), (fields, contentType) => {
        const inputs = fields.map((f) => {
          const name = `name=${f.q1}${f.name}${f.q1}`;
          const value = `value=${f.q2}${f.value}${f.q2}`;
          return `<input${f.extra}${f.space}${f.order ? `${name} ${value}` : `${value} ${name}`}${f.close}`;
        });
        const page = `<html><body onload="document.forms[0].submit()"><form method="post" action="https://example.org/cb">${inputs.join('')}</form></body></html>`;
        const out = redactBody(page, contentType);
        for (const f of fields) assert.ok(!out.includes(f.value), `the ${f.name} field's value survived in ${inputs.join('')}`);
      }),
      syncParams(),
    );
  });

  it('redactJwts: every compact JWS loses its signature and every JWE its encrypted parts, wherever they stand in the text', { timeout: TEST_TIMEOUT }, () => {
    const before_ = fc.constantFrom('', ' ', 'x ', 'id_token=', 'id_token%3D', '"', '(', 'keyJar.', 'a.b.', '#', 'Bearer ');
    const after_ = fc.constantFrom('', ' ', ' y', '.', '. Next sentence', '..', '&state=x', '"', ')', ',', '.x', '\n');
    const header = fc.constantFrom('eyJhbGciOiJSUzI1NiJ9', 'eyJhbGciOiJIUzI1NiIsImtpZCI6ImsifQ', 'eyJ0eXAiOiJKV1QifQ');
    fc.assert(
      fc.property(before_, after_, header, secretValue, secretValue, fc.boolean(), (pre, post, h, secret, other, isJwe) => {
        const token = isJwe ? `${h}.${other}.${secret}.${secret}.${other}` : `${h}.eyJzdWIiOiIxIn0.${secret}`;
        const out = redactJwts(`${pre}${token}${post}`);
        assert.ok(!out.includes(secret), `a ${isJwe ? 'JWE' : 'JWS'} in "${pre}<token>${post}" kept its ${isJwe ? 'ciphertext' : 'signature'}: "${out}"`);
      }),
      syncParams(),
    );
  });

  it('redactUrl and redactHeaders (Location): no secret query or fragment parameter survives, absolute or relative', { timeout: TEST_TIMEOUT }, () => {
    const where = fc.constantFrom(
      'https://example.org/cb?', 'https://example.org/cb#', 'https://example.org/cb?a=1#', 'custom:cb?', 'http://[::1]:8080/cb?',
      '/cb?', '/cb#', '/cb?a=1#', '?', '#', '?a=1#', 'cb?', '//example.org/cb?', '//example.org/cb?a=1#', 'https://[cb?', 'https://[cb?a=1#',
    );
    fc.assert(
      fc.property(where, secretName, secretValue, fc.constantFrom('', '&state=abc', 'state=abc&'), fc.boolean(), (prefix, name, value, extra, viaHeader) => {
        const url = extra.endsWith('&') ? `${prefix}${extra}${name}=${value}` : `${prefix}${name}=${value}${extra}`;
        const out = viaHeader ? redactHeaders({ Location: url })['Location']! : redactUrl(url);
        assert.ok(!out.includes(value), `the ${name} parameter of "${url}" survived: "${out}"`);
      }),
      syncParams(),
    );
  });

  it('redactHeaders, redactJwts and redactExchange: no credential header, JWS signature or known secret survives', { timeout: TEST_TIMEOUT }, () => {
    const part = fc.constantFrom('request.url', 'request.header', 'request.body', 'response.header', 'response.body', 'error.message');
    const secretHeader = fc.constantFrom('Authorization', 'authorization', 'Cookie', 'Set-Cookie', 'DPoP', 'Proxy-Authorization');
    fc.assert(
      fc.property(secretValue, secretValue, part, secretHeader, fc.constantFrom('Bearer ', 'Basic ', '', 'DPoP '), fc.constantFrom(...CONTENT_TYPES), (known, signature, where, header, scheme, contentType) => {
        // A credential header loses its value; a JWS loses its signature, in any text; a known
        // secret disappears from every part of an exchange.
        const jws = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.${signature}`;
        const e: { request: { method: string; url: string; headers: Record<string, string>; body?: string }; response?: { status: number; headers: Record<string, string>; body: string }; error?: { check: string; message: string }; startedAt: string; ms: number } = {
          request: { method: 'POST', url: 'https://example.com/token', headers: { 'content-type': contentType } },
          response: { status: 200, headers: { 'content-type': contentType }, body: '{}' },
          startedAt: '2024-01-01T00:00:00.000Z',
          ms: 1,
        };
        if (where === 'request.url') e.request.url = `https://example.com/x?p=${known}`;
        if (where === 'request.header') e.request.headers['x-custom'] = known;
        if (where === 'request.body') e.request.body = `a=${known}`;
        if (where === 'response.header') e.response!.headers['x-custom'] = known;
        if (where === 'response.body') e.response!.body = JSON.stringify({ data: known });
        if (where === 'error.message') e.error = { check: 'transportConnect', message: `could not connect with ${known}` };
        const h = redactHeaders({ [header]: `${scheme}${known}` });
        const redactedText = redactJwts(`x ${jws} y`);
        const out = redactExchange(e, [known]);
        assert.ok(!h[header]!.includes(known), `the ${header} header survived`);
        assert.ok(!redactedText.includes(signature), 'a JWS signature survived');
        assert.ok(!JSON.stringify(out).includes(known), `a known secret survived in ${where}`);
      }),
      syncParams(),
    );
  });
});

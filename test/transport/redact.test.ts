/** The redaction helpers: names, values, JWT signatures, URLs, bodies, headers, whole exchanges. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED, SECRET_NAMES, redactBody, redactExchange, redactHeaders, redactJwts, redactUrl, redactValues } from '../../src/transport/redact.js';
import { redactError } from '../../src/transport/redact.js';

const R = REDACTED;
const ENC_R = encodeURIComponent(REDACTED);
const JWS = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJlLXNlY3JldA';
const JWE = 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkExMjhDQkMtSFMyNTYifQ.a2V5.aXY.Y2lwaGVy.dGFn';

describe('redactJwts', () => {
  it('drops the signature of a JWS and keeps header and claims', () => {
    assert.equal(redactJwts(`token ${JWS} end`), `token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.${R} end`);
  });
  it('keeps only the protected header of a JWE', () => {
    assert.equal(redactJwts(JWE), `eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkExMjhDQkMtSFMyNTYifQ.${R}`);
  });
  it('leaves an unsigned JWT and ordinary text alone', () => {
    assert.equal(redactJwts('eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.'), 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.');
    assert.equal(redactJwts('a.b.c and example.com'), 'a.b.c and example.com');
  });
  it('handles several tokens', () => {
    const out = redactJwts(`${JWS} ${JWS}`);
    assert.equal(out.includes('c2lnbmF0dXJlLXNlY3JldA'), false);
    assert.equal(out.split(R).length, 3);
  });
});

describe('redactValues', () => {
  it('replaces every occurrence of each secret, raw and URL-encoded', () => {
    assert.equal(redactValues('s3cr3t/+ and s3cr3t%2F%2B and s3cr3t/+', ['s3cr3t/+']), `${R} and ${R} and ${R}`);
  });
  it('skips values shorter than 4 characters', () => {
    assert.equal(redactValues('abc abc', ['abc']), 'abc abc');
  });
});

describe('redactUrl', () => {
  it('redacts secret query and fragment parameters and keeps the rest', () => {
    const out = redactUrl('https://rp.example/cb?code=the-code&state=s1#access_token=at&token_type=Bearer&id_token=' + JWS);
    const url = new URL(out);
    assert.equal(url.searchParams.get('code'), R);
    assert.equal(url.searchParams.get('state'), 's1');
    const fragment = new URLSearchParams(url.hash.slice(1));
    assert.equal(fragment.get('access_token'), R);
    assert.equal(fragment.get('token_type'), 'Bearer');
    assert.equal(out.includes('the-code'), false);
    assert.equal(out.includes('c2lnbmF0dXJlLXNlY3JldA'), false);
  });
  it('redacts JWTs in what is not a URL', () => {
    assert.equal(redactUrl(`not a url ${JWS}`).includes('c2lnbmF0dXJlLXNlY3JldA'), false);
  });
  it('leaves a URL without secrets unchanged', () => {
    assert.equal(redactUrl('https://op.example/authorize?state=x&scope=openid'), 'https://op.example/authorize?state=x&scope=openid');
  });
});

describe('redactBody', () => {
  it('JSON: secret members at any depth, JWT signatures, other members kept', () => {
    const body = JSON.stringify({ access_token: 'at', token_type: 'Bearer', nested: { refresh_token: 'rt', keys: [{ kty: 'RSA', n: 'n', d: 'private' }] }, id_token: JWS });
    const out = JSON.parse(redactBody(body, 'application/json; charset=utf-8')) as Record<string, any>;
    assert.equal(out['access_token'], R);
    assert.equal(out['token_type'], 'Bearer');
    assert.equal(out['nested'].refresh_token, R);
    assert.equal(out['nested'].keys[0].d, R);
    assert.equal(out['nested'].keys[0].n, 'n');
    assert.equal(out['id_token'], `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.${R}`);
  });
  it('form: secret fields redacted', () => {
    const out = new URLSearchParams(redactBody('grant_type=authorization_code&code=c&client_secret=s&client_id=id', 'application/x-www-form-urlencoded'));
    assert.equal(out.get('code'), R);
    assert.equal(out.get('client_secret'), R);
    assert.equal(out.get('client_id'), 'id');
    assert.equal(out.get('grant_type'), 'authorization_code');
  });
  it('HTML: hidden inputs with secret names (a form_post page)', () => {
    const html = `<form><input type="hidden" name="code" value="form-code"/><input type="hidden" name="state" value="s1"/><input name="id_token" value="${JWS}"></form>`;
    const out = redactBody(html, 'text/html');
    assert.equal(out.includes('form-code'), false);
    assert.ok(out.includes('value="s1"'));
    assert.equal(out.includes('c2lnbmF0dXJlLXNlY3JldA'), false);
  });
  it('malformed JSON falls back to the text rules', () => {
    assert.equal(redactBody(`{"id_token": "${JWS}"`, 'application/json').includes('c2lnbmF0dXJlLXNlY3JldA'), false);
  });
});

describe('redactHeaders', () => {
  it('keeps the scheme of Authorization and hides the credentials', () => {
    const out = redactHeaders({ Authorization: 'Basic dXNlcjpwYXNz', 'proxy-authorization': 'Bearer t', Cookie: 'a=b', 'Content-Type': 'application/json' });
    assert.deepEqual(out, { Authorization: `Basic ${R}`, 'proxy-authorization': `Bearer ${R}`, Cookie: R, 'Content-Type': 'application/json' });
  });
  it('redacts the Location of a redirect', () => {
    assert.equal(redactHeaders({ location: 'https://rp.example/cb?code=c&state=s' })['location'], `https://rp.example/cb?code=${ENC_R}&state=s`);
  });
});

describe('redactExchange', () => {
  it('redacts URL, headers and bodies of both sides, and known secret values anywhere in them', () => {
    const exchange = {
      request: {
        method: 'POST',
        url: 'https://op.example/token?code=url-code',
        headers: { Authorization: 'Basic Y2xpZW50OnNlY3JldA==', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'code=body-code&note=my-client-secret-value',
      },
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"access_token":"at","comment":"my-client-secret-value"}' },
    };
    const out = redactExchange(exchange, ['my-client-secret-value']);
    const text = JSON.stringify(out);
    for (const secret of ['url-code', 'body-code', 'Y2xpZW50OnNlY3JldA==', 'my-client-secret-value', '"at"']) assert.equal(text.includes(secret), false, secret);
    assert.equal(out.request.method, 'POST');
    assert.equal(out.response?.status, 200);
    assert.equal(exchange.request.body, 'code=body-code&note=my-client-secret-value', 'the original is not changed');
  });
});

describe('SECRET_NAMES', () => {
  it('covers the OAuth secrets and private key members', () => {
    for (const name of ['client_secret', 'code', 'code_verifier', 'access_token', 'refresh_token', 'registration_access_token', 'd', 'k']) assert.ok(SECRET_NAMES.has(name), name);
    assert.equal(SECRET_NAMES.has('state'), false);
  });
});

describe('redaction of nested and encoded secrets', () => {
  it('redacts the parameters of a fragment posted back in a form field', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXBhcnQtdGhhdC1tdXN0LWdv';
    const body = new URLSearchParams({ url_fragment: `code=the-code-value-123&id_token=${jwt}&state=s1` }).toString();
    const out = redactBody(body, 'application/x-www-form-urlencoded');
    assert.ok(!out.includes('the-code-value-123'), out);
    assert.ok(!out.includes('c2lnbmF0dXJlLXBhcnQtdGhhdC1tdXN0LWdv'), out);
    assert.ok(new URLSearchParams(out).get('url_fragment')?.includes('state=s1'));
  });

  it('removes the signature of a JWT inside URL-encoded text', () => {
    const out = redactJwts('x=id_token%3DeyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
    assert.ok(!out.includes('c2lnbmF0dXJl'), out);
  });
});

describe('redactError', () => {
  it('takes a secret out of an error, as it is, URL-encoded and JSON-escaped, keeping the error', () => {
    class StepError extends Error {}
    const original = new StepError('fill("p@ss \\"word!\\"") failed; body=p%40ss%20%22word!%22 or p@ss "word!"');
    const error = redactError(original, ['p@ss "word!"']);
    assert.equal(error, original);
    assert.ok(error instanceof StepError);
    assert.equal(error.message, 'fill("[REDACTED]") failed; body=[REDACTED] or [REDACTED]');
    assert.ok(!error.stack?.includes('word!'));
  });

  it('makes an Error of anything else', () => {
    assert.equal(redactError('oops hunter2', ['hunter2']).message, 'oops [REDACTED]');
  });
});

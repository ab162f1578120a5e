/**
 * certify-rp against real RPs that nobody here wrote, each installed from the registry and driven
 * as a user of the harness would drive it, with the example configurations of `examples/`:
 * openid-client 6 as a command-line RP (with its defaults, and with its non-repudiation checks),
 * express-openid-connect as a web RP in Chromium, and a single-page app on oauth4webapi's browser
 * build in Chromium. The harness's verdicts on them are what these tests are about.
 *
 * Run: node --import tsx --test test/certify-rp/example-rps.e2e.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { generateOpKeys, type OpKeys, type TestResult } from '../../mock-op/index.js';
import { loadCertifyRpConfig } from '../../mock-op/certify-rp/config.js';
import { certifyRp } from '../../mock-op/certify-rp/run.js';

let keys: OpKeys;
before(async () => {
  keys = await generateOpKeys({ spares: 1 });
});

/** Certifies the RP of an example configuration; resolves with its results by `profile test`. */
async function certify(file: string, options: { profiles?: string[]; tags?: string; tls?: boolean } = {}): Promise<Map<string, TestResult>> {
  const config = await loadCertifyRpConfig(file);
  const { results } = await certifyRp({ config, keys, ...options });
  return new Map(results.map((r) => [`${r.profile} ${r.test}`, r]));
}

/** The verdicts other than `passed`, as `profile test: verdict`. */
function notPassed(results: Map<string, TestResult>): string[] {
  return [...results.values()].filter((r) => r.verdict !== 'passed').map((r) => `${r.profile} ${r.test}: ${r.verdict}`);
}

describe('openid-client 6 as a command-line RP', () => {
  it('with its defaults it fails invalid-sig-rs256: it does not verify the ID token from the token endpoint, and reads the userinfo', async () => {
    const results = await certify('examples/openid-client/certify-rp.json');
    assert.equal(results.size, 14);
    assert.deepEqual(notPassed(results), ['basic oidcc-client-test-invalid-sig-rs256: failed']);
    assert.equal(results.get('basic oidcc-client-test-invalid-sig-rs256')?.reason, 'the RP carried on after the ID token: GET userinfo -> 200');
    assert.equal(results.get('basic oidcc-client-test-invalid-sig-rs256')?.outcome, 'accepted');
    assert.match(results.get('basic oidcc-client-test-invalid-iss')?.reason ?? '', /^the RP refused the ID token and sent nothing that depends on it \(the RP says: refused: .*"iss"/);
  });

  it('with its non-repudiation checks it passes Basic and Config but for the key rotation it cannot follow within a minute; an unsigned ID token is refused, which the test allows', async () => {
    const results = await certify('examples/openid-client/certify-rp.non-repudiation.json');
    assert.deepEqual(notPassed(results).sort(), [
      'basic oidcc-client-test-idtoken-sig-none: skipped',
      'config oidcc-client-test-idtoken-sig-none: skipped',
      'config oidcc-client-test-signing-key-rotation: failed',
    ]);
    assert.equal(results.get('basic oidcc-client-test-invalid-sig-rs256')?.verdict, 'passed');
    assert.match(results.get('config oidcc-client-test-signing-key-rotation')?.reason ?? '', /refused, although nothing in this test should be refused.*no applicable keys/i);
    assert.equal(results.get('config oidcc-client-test-discovery-issuer-mismatch')?.verdict, 'passed');
  });

  it('registering itself, it passes the Dynamic profile the same way: WebFinger, registration, request objects by reference', async () => {
    const results = await certify('examples/openid-client/certify-rp.non-repudiation.dynamic.json');
    assert.deepEqual(notPassed(results).sort(), ['dynamic oidcc-client-test-idtoken-sig-none: skipped', 'dynamic oidcc-client-test-signing-key-rotation: failed']);
    for (const id of ['discovery-webfinger-acct', 'discovery-webfinger-url', 'dynamic-registration', 'request-uri-signed-rs256', 'request-uri-signed-none', 'userinfo-signed']) {
      assert.equal(results.get(`dynamic oidcc-client-test-${id}`)?.verdict, 'passed', id);
    }
  });
});

describe('express-openid-connect as a web RP in Chromium, started per test', () => {
  it('passes Basic but for the ID token signature it never checks; it refuses an unsigned ID token, which the test allows', async () => {
    const results = await certify('examples/express-openid-connect/certify-rp.json');
    assert.equal(results.size, 14);
    assert.deepEqual(notPassed(results).sort(), ['basic oidcc-client-test-idtoken-sig-none: skipped', 'basic oidcc-client-test-invalid-sig-rs256: failed']);
    assert.match(results.get('basic oidcc-client-test-nonce-invalid')?.reason ?? '', /refused the ID token .*shows #error/);
  });
});

describe('express-openid-connect logging out', () => {
  it('passes RP-initiated and back-channel logout: it answers bad logout tokens with 400; it sends no logout state, so the state test does not apply', async () => {
    const results = await certify('examples/express-openid-connect/certify-rp.logout.json');
    assert.equal(results.size, 11);
    assert.deepEqual(notPassed(results), ['rp-initiated-logout oidcc-client-test-rp-init-logout-other-state: skipped']);
    assert.equal(results.get('rp-initiated-logout oidcc-client-test-rp-init-logout')?.reason, 'the RP completed the login; the RP sent the user to log out at the OP');
    assert.equal(results.get('backchannel-logout oidcc-client-test-rp-backchannel-rpinitlogout')?.reason, 'the RP completed the login; the RP answered the back-channel logout with 200 (or 204)');
    assert.equal(results.get('backchannel-logout oidcc-client-test-rp-backchannel-rpinitlogout-lt-wrong-iss')?.reason, 'the RP answered the logout token with 400');
  });
});

describe('a single-page app on oauth4webapi in Chromium', () => {
  it('gets a verdict for every Basic test, none inconclusive: it fails the signature test and cannot take part in client_secret_basic as a public client', async () => {
    const results = await certify('examples/spa/certify-rp.json');
    assert.equal(results.size, 14);
    assert.deepEqual(notPassed(results).sort(), ['basic oidcc-client-test-client-secret-basic: skipped', 'basic oidcc-client-test-invalid-sig-rs256: failed']);
    assert.match(results.get('basic oidcc-client-test-client-secret-basic')?.reason ?? '', /public client/);
  });
});

describe('certify-rp over https', () => {
  it('serves the OP with the run\'s own authority, which the RP trusts through NODE_EXTRA_CA_CERTS, and gets the same verdicts', async () => {
    const results = await certify('examples/openid-client/certify-rp.json', { tls: true, tags: '@oidcc-client-test or @oidcc-client-test-invalid-sig-rs256 or @oidcc-client-test-nonce-invalid' });
    assert.deepEqual([...results.values()].map((r) => `${r.test}: ${r.verdict}`), ['oidcc-client-test: passed', 'oidcc-client-test-invalid-sig-rs256: failed', 'oidcc-client-test-nonce-invalid: passed']);
  });

  it('in the browser too: Chromium trusts exactly the OP\'s certificate', async () => {
    const results = await certify('examples/spa/certify-rp.json', { tls: true, tags: '@oidcc-client-test or @oidcc-client-test-missing-sub' });
    assert.deepEqual([...results.values()].map((r) => `${r.test}: ${r.verdict}`), ['oidcc-client-test: passed', 'oidcc-client-test-missing-sub: passed']);
  });
});

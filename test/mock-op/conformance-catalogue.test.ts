/**
 * The conformance catalogue as data: every test of the catalogue is there, ids are unique and both
 * naming schemes select the same row.
 *
 * Run: node --import tsx --test test/mock-op/conformance-catalogue.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ALL_RESPONSE_TYPES,
  CONFORMANCE_TESTS,
  PROFILES,
  allTestIds,
  findConformanceTest,
  suiteId,
  testIds,
  testsForProfile,
} from '../../mock-op/index.js';

/** Every test of the catalogue, by the catalogue's name (descriptive rows split per variant). */
const TABLE = [
  'none', 'invalid-iss', 'missing-sub', 'invalid-aud', 'missing-aud', 'missing-iat', 'kid-absent-single-jwks',
  'kid-absent-multiple-jwks', 'idtoken-sig-rs256', 'idtoken-sig-none', 'invalid-sig-rs256', 'invalid-sig-hs256',
  'invalid-sig-es256', 'idtoken-sig-hs256', 'idtoken-sig-es256', 'idtoken-sig-enc', 'idtoken-sig-enc-a128kw',
  'invalid-athash', 'missing-athash', 'invalid-chash', 'missing-chash', 'userinfo-invalid-sub', 'nonce-invalid',
  'nonce-unless-code-flow', 'scope-userinfo-claims', 'client-secret-basic', 'client-secret-post', 'client-secret-jwt',
  'private-key-jwt', 'userinfo-bearer-header', 'userinfo-bearer-body', 'form-post-error', 'response-mode-form-post',
  'aggregated-claims', 'distributed-claims', 'claims-request-id-token', 'claims-request-userinfo', 'userinfo-signed',
  'userinfo-encrypted', 'userinfo-signed-encrypted', 'discovery-openid-config', 'discovery-jwks-uri-keys',
  'discovery-issuer-mismatch', 'discovery-webfinger-acct', 'discovery-webfinger-url', 'webfinger-http-href',
  'webfinger-unknown-member', 'signing-key-rotation-just-before-signing', 'signing-key-rotation', 'enc-key-rotation',
  'dynamic-registration', 'request-uri-signed-rs256', 'request-uri-signed-none', 'request-uri-enc', 'request-uri-sig-enc',
  'refresh-token', 'refresh-token-invalid-issuer', 'refresh-token-invalid-sub', 'mtls-endpoint-aliases',
  '3rd-party-init-login', 'rp-backchannel-rpinitlogout', 'rp-backchannel-rpinitlogout-lt-alg-none',
  'rp-backchannel-rpinitlogout-lt-no-event', 'rp-backchannel-rpinitlogout-lt-with-nonce',
  'rp-backchannel-rpinitlogout-lt-wrong-alg', 'rp-backchannel-rpinitlogout-lt-wrong-aud',
  'rp-backchannel-rpinitlogout-lt-wrong-event', 'rp-backchannel-rpinitlogout-lt-wrong-iss',
  'rp-frontchannel-rpinitlogout', 'rp-init-logout', 'rp-init-logout-other-state', 'rp-init-logout-no-state',
  'session-management',
];

const CHECKS = new Set([
  'checkIssuer', 'checkSubject', 'checkAudience', 'checkIssuedAt', 'selectKey', 'checkSignature', 'checkAlgorithm',
  'checkAtHash', 'checkCHash', 'checkUserInfoSubject', 'checkNonce', 'checkDiscoveryIssuer', 'checkWebFingerLink',
  'checkSameSubject', 'checkLogoutEvent', 'checkLogoutNonce', 'checkLogoutState',
]);

describe('the conformance catalogue', () => {
  it('has exactly the tests of the catalogue, each once', () => {
    const names = CONFORMANCE_TESTS.map((t) => t.name);
    assert.equal(new Set(names).size, names.length, 'unique names');
    assert.deepEqual([...names].sort(), [...TABLE].sort());
    assert.equal(CONFORMANCE_TESTS.length, 73);
  });

  it('gives every row well-formed fields', () => {
    for (const test of CONFORMANCE_TESTS) {
      assert.ok(test.profiles.length > 0, test.name);
      for (const p of test.profiles) assert.ok(PROFILES.includes(p), `${test.name}: profile ${p}`);
      assert.ok(test.responseTypes.length > 0, test.name);
      for (const rt of test.responseTypes) assert.ok(ALL_RESPONSE_TYPES.includes(rt), `${test.name}: ${rt}`);
      assert.ok(['accept', 'reject', 'either'].includes(test.expected), test.name);
      assert.equal(test.skipAllowed, test.name === 'idtoken-sig-none', `${test.name}: skipAllowed`);
      if (test.expected !== 'accept' && test.name !== 'form-post-error') {
        assert.ok(test.check !== undefined && CHECKS.has(test.check), `${test.name}: check`);
      }
      if (test.expected !== 'accept') assert.ok(test.rejectedAt !== undefined, `${test.name}: rejectedAt`);
      assert.ok(test.description.length > 10 && !test.description.includes('\n'), `${test.name}: one-line description`);
      for (const id of test.legacy) assert.match(id, /^rp-/, `${test.name}: legacy id ${id}`);
    }
  });

  it('follows the profile lists for response types', () => {
    const rt = (name: string): readonly string[] => findConformanceTest(name)!.responseTypes;
    assert.deepEqual(rt('invalid-athash'), ['id_token token', 'code id_token token']);
    assert.deepEqual(rt('missing-chash'), ['code id_token', 'code id_token token']);
    assert.deepEqual(rt('idtoken-sig-none'), ['code']);
    assert.ok(!rt('nonce-unless-code-flow').includes('code'));
    assert.ok(!rt('userinfo-invalid-sub').includes('id_token'));
    assert.ok(!rt('client-secret-basic').includes('id_token token'));
    assert.equal(rt('none').length, 6);
    const basic = testsForProfile('B').map((t) => t.name).sort();
    assert.deepEqual(basic, [
      'client-secret-basic', 'idtoken-sig-none', 'idtoken-sig-rs256', 'invalid-aud', 'invalid-iss', 'invalid-sig-rs256',
      'kid-absent-multiple-jwks', 'kid-absent-single-jwks', 'missing-iat', 'missing-sub', 'nonce-invalid', 'none',
      'scope-userinfo-claims', 'userinfo-invalid-sub',
    ]);
    const hybrid = testsForProfile('H', 'code id_token').map((t) => t.name);
    assert.ok(hybrid.includes('invalid-chash') && !hybrid.includes('invalid-athash'));
    assert.ok(testsForProfile('H', 'code id_token token').map((t) => t.name).includes('invalid-athash'));
    assert.ok(testsForProfile('FP').map((t) => t.name).includes('invalid-iss'), 'FP repeats B, I and H');
    const dyn = testsForProfile('DYN').map((t) => t.name);
    for (const name of ['discovery-webfinger-acct', 'request-uri-signed-rs256', 'userinfo-signed', 'signing-key-rotation']) {
      assert.ok(dyn.includes(name), name);
    }
  });

  it('selects the same row by the current suite id, the older id and the name', () => {
    const pairs: Array<[string, string, string]> = [
      ['oidcc-client-test-invalid-iss', 'rp-id_token-issuer-mismatch', 'invalid-iss'],
      ['oidcc-client-test', 'rp-response_type-code', 'none'],
      ['oidcc-client-test', 'rp-response_type-code+id_token+token', 'none'],
      ['oidcc-client-test-invalid-aud', 'rp-id_token-aud', 'invalid-aud'],
      ['oidcc-client-test-userinfo-bearer-header', 'rp-userinfo-bearer-header', 'userinfo-bearer-header'],
      ['oidcc-client-test-session-management', 'rp-init-logout-session', 'session-management'],
      ['oidcc-client-test-rp-backchannel-rpinitlogout-lt-wrong-alg', 'rp-backchannel-rpinitlogout-lt-wrong-alg', 'rp-backchannel-rpinitlogout-lt-wrong-alg'],
      ['oidcc-client-test-signing-key-rotation-just-before-signing', 'rp-key-rotation-op-sign-key-native', 'signing-key-rotation-just-before-signing'],
    ];
    for (const [current, legacy, name] of pairs) {
      const a = findConformanceTest(current);
      assert.ok(a !== undefined, current);
      assert.equal(a, findConformanceTest(legacy), `${current} = ${legacy}`);
      assert.equal(a.name, name);
    }
    assert.equal(findConformanceTest('rp-id_token-sig+enc-a128kw')?.name, 'idtoken-sig-enc-a128kw');
    assert.equal(suiteId(findConformanceTest('rp-id_token-sig-hs256')!), null);
    assert.equal(findConformanceTest('oidcc-client-test-nothing'), undefined);
    const ids = allTestIds();
    assert.equal(new Set(ids).size, ids.length);
    for (const test of CONFORMANCE_TESTS) for (const id of testIds(test)) assert.equal(findConformanceTest(id), test, id);
  });
});

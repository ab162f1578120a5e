/**
 * Checks on responses rather than ID tokens: userinfo `sub`, the discovered issuer, https links,
 * the RFC 9207 `iss` of an authorization response, and the `state` of a response.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore, VerificationError } from '../../src/index.js';
import { checkDiscoveryIssuer } from '../../src/checks/check-discovery-issuer.js';
import { checkHttps } from '../../src/checks/check-https.js';
import { checkResponseIssuer } from '../../src/checks/check-response-issuer.js';
import { checkState } from '../../src/checks/check-state.js';
import { checkUserInfoSubject } from '../../src/checks/check-userinfo-subject.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { isError } from '../fixtures/http.js';

const ISS = 'https://op.example.com';

describe('checkUserInfoSubject', () => {
  it('accepts the ID token\'s sub', () => {
    assert.doesNotThrow(() => checkUserInfoSubject({ sub: 'alice', name: 'Alice' }, 'alice'));
  });
  it('accepts any sub when no ID token sub is known', () => {
    assert.doesNotThrow(() => checkUserInfoSubject({ sub: 'alice' }, undefined));
  });
  it('rejects a mismatched sub', () => {
    assert.throws(
      () => checkUserInfoSubject({ sub: 'mallory' }, 'alice'),
      isError(VerificationError, 'checkUserInfoSubject', (e) => e.detail['expected'] === 'alice' && e.detail['actual'] === 'mallory'),
    );
  });
  it('rejects a missing sub, even without an ID token to compare with', () => {
    assert.throws(() => checkUserInfoSubject({ name: 'Alice' }, 'alice'), isError(VerificationError, 'checkUserInfoSubject'));
    assert.throws(() => checkUserInfoSubject({ sub: 5 }, undefined), isError(VerificationError, 'checkUserInfoSubject'));
  });
});

describe('checkDiscoveryIssuer', () => {
  it('accepts the issuer it was fetched for, a trailing slash aside', () => {
    assert.doesNotThrow(() => checkDiscoveryIssuer({ issuer: ISS }, ISS));
    assert.doesNotThrow(() => checkDiscoveryIssuer({ issuer: `${ISS}/` }, ISS));
  });
  it('rejects another issuer', () => {
    assert.throws(
      () => checkDiscoveryIssuer({ issuer: 'https://impostor.example.com' }, ISS),
      isError(VerificationError, 'checkDiscoveryIssuer', (e) => e.detail['actual'] === 'https://impostor.example.com'),
    );
  });
  it('rejects an issuer with another path', () => {
    assert.throws(() => checkDiscoveryIssuer({ issuer: `${ISS}/tenant-b` }, `${ISS}/tenant-a`), isError(VerificationError, 'checkDiscoveryIssuer'));
  });
  it('rejects a missing issuer, even with allow.issuer_mismatch', () => {
    assert.throws(() => checkDiscoveryIssuer({}, ISS, true), isError(VerificationError, 'checkDiscoveryIssuer'));
  });
  it('accepts a mismatch with allow.issuer_mismatch', () => {
    assert.doesNotThrow(() => checkDiscoveryIssuer({ issuer: 'https://impostor.example.com' }, ISS, true));
  });
});

describe('checkHttps', () => {
  it('accepts https', () => {
    assert.doesNotThrow(() => checkHttps('https://op.example.com/token', false, 'token_endpoint'));
  });
  it('rejects http unless allowed', () => {
    assert.throws(() => checkHttps('http://op.example.com/token', false, 'token_endpoint'), isError(VerificationError, 'checkHttps'));
    assert.doesNotThrow(() => checkHttps('http://op.example.com/token', true, 'token_endpoint'));
  });
  it('rejects other schemes even when http is allowed', () => {
    assert.throws(() => checkHttps('ftp://op.example.com/', true, 'issuer'), isError(VerificationError, 'checkHttps'));
    assert.throws(() => checkHttps('javascript:alert(1)', true, 'issuer'), isError(VerificationError, 'checkHttps'));
  });
  it('rejects what is not a URL, under the check name given', () => {
    assert.throws(() => checkHttps('not a url', true, 'issuer', 'checkIssuerUrl'), isError(VerificationError, 'checkIssuerUrl'));
  });
});

describe('checkResponseIssuer (RFC 9207)', () => {
  it('accepts a matching iss, advertised or not', () => {
    assert.doesNotThrow(() => checkResponseIssuer({ iss: ISS, code: 'c' }, ISS, true));
    assert.doesNotThrow(() => checkResponseIssuer({ iss: ISS, code: 'c' }, ISS, false));
  });
  it('accepts a missing iss when the OP does not advertise it', () => {
    assert.doesNotThrow(() => checkResponseIssuer({ code: 'c' }, ISS, false));
  });
  it('rejects a mismatched iss', () => {
    assert.throws(
      () => checkResponseIssuer({ iss: 'https://mix-up.example.com', code: 'c' }, ISS, false),
      isError(VerificationError, 'checkResponseIssuer', (e) => e.detail['actual'] === 'https://mix-up.example.com'),
    );
  });
  it('rejects a missing iss when the OP advertises authorization_response_iss_parameter_supported', () => {
    assert.throws(() => checkResponseIssuer({ code: 'c' }, ISS, true), isError(VerificationError, 'checkResponseIssuer'));
  });
  it('compares exactly: a trailing slash is a mismatch', () => {
    assert.throws(() => checkResponseIssuer({ iss: `${ISS}/` }, ISS, true), isError(VerificationError, 'checkResponseIssuer'));
  });
});

describe('checkState', () => {
  it('returns the state of a session this RP started', async () => {
    const db = new StateDatabase(new MemoryStore());
    const state = await db.createState(ISS);
    assert.equal(await checkState({ state, code: 'c' }, db), state);
  });
  it('rejects a foreign state', async () => {
    const db = new StateDatabase(new MemoryStore());
    await db.createState(ISS);
    await assert.rejects(checkState({ state: 'forged-state', code: 'c' }, db), isError(VerificationError, 'checkState'));
  });
  it('rejects a missing, empty or non-string state', async () => {
    const db = new StateDatabase(new MemoryStore());
    for (const response of [{ code: 'c' }, { state: '' }, { state: ['a'] }]) {
      await assert.rejects(checkState(response, db), isError(VerificationError, 'checkState'), JSON.stringify(response));
    }
  });
  it('rejects the state of a removed session', async () => {
    const db = new StateDatabase(new MemoryStore());
    const state = await db.createState(ISS);
    await db.removeState(state);
    await assert.rejects(checkState({ state }, db), isError(VerificationError, 'checkState'));
  });
});

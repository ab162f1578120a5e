/**
 * The ID token claim checks, one by one, on plain claim objects: OpenID Connect Core 3.1.3.7.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerificationError } from '../../src/index.js';
import { checkAudience } from '../../src/checks/check-audience.js';
import { checkAuthTime } from '../../src/checks/check-auth-time.js';
import { checkAuthorizedParty } from '../../src/checks/check-authorized-party.js';
import { checkExpiry } from '../../src/checks/check-expiry.js';
import { checkIssuedAt } from '../../src/checks/check-issued-at.js';
import { checkIssuer, sameIssuer } from '../../src/checks/check-issuer.js';
import { checkNonce } from '../../src/checks/check-nonce.js';
import { checkNotBefore } from '../../src/checks/check-not-before.js';
import { checkSameSubject } from '../../src/checks/check-same-subject.js';
import { checkSubject } from '../../src/checks/check-subject.js';
import { isError } from '../fixtures/http.js';

const ISS = 'https://op.example.com';
const NOW = 1_700_000_000;
const SKEW = 60;
const rejects = (check: string) => isError(VerificationError, check);

describe('checkIssuer', () => {
  it('accepts the OP issuer exactly', () => {
    assert.doesNotThrow(() => checkIssuer({ iss: ISS }, ISS));
  });
  it('rejects a wrong iss, with expected and actual in the detail', () => {
    assert.throws(
      () => checkIssuer({ iss: 'https://evil.example.com' }, ISS),
      isError(VerificationError, 'checkIssuer', (e) => e.detail['expected'] === ISS && e.detail['actual'] === 'https://evil.example.com'),
    );
  });
  it('rejects a missing iss', () => {
    assert.throws(() => checkIssuer({}, ISS), rejects('checkIssuer'));
  });
  it('rejects a non-string iss', () => {
    assert.throws(() => checkIssuer({ iss: 42 }, ISS), rejects('checkIssuer'));
  });
  it('rejects an iss that differs only by a trailing slash (exact comparison)', () => {
    assert.throws(() => checkIssuer({ iss: `${ISS}/` }, ISS), rejects('checkIssuer'));
  });
  it('rejects an iss that differs in case', () => {
    assert.throws(() => checkIssuer({ iss: ISS.toUpperCase() }, ISS), rejects('checkIssuer'));
  });
  it('accepts a mismatch when allow.issuer_mismatch', () => {
    assert.doesNotThrow(() => checkIssuer({ iss: 'https://other.example.com' }, ISS, true));
  });
  it('still rejects a missing iss when allow.issuer_mismatch', () => {
    assert.throws(() => checkIssuer({}, ISS, true), rejects('checkIssuer'));
  });
  it('sameIssuer ignores one trailing slash but nothing else', () => {
    assert.equal(sameIssuer('https://a.example', 'https://a.example/'), true);
    assert.equal(sameIssuer('https://a.example/x', 'https://a.example/x'), true);
    assert.equal(sameIssuer('https://a.example', 'https://b.example'), false);
    assert.equal(sameIssuer('https://a.example/x', 'https://a.example'), false);
  });
});

describe('checkSubject', () => {
  it('accepts a sub of up to 255 characters', () => {
    assert.doesNotThrow(() => checkSubject({ sub: 'alice' }));
    assert.doesNotThrow(() => checkSubject({ sub: 'x'.repeat(255) }));
  });
  it('rejects a missing sub', () => {
    assert.throws(() => checkSubject({ iss: ISS }), rejects('checkSubject'));
  });
  it('rejects an empty sub', () => {
    assert.throws(() => checkSubject({ sub: '' }), rejects('checkSubject'));
  });
  it('rejects a non-string sub', () => {
    assert.throws(() => checkSubject({ sub: 12345 }), rejects('checkSubject'));
  });
  it('rejects a sub longer than 255 characters', () => {
    assert.throws(() => checkSubject({ sub: 'x'.repeat(256) }), rejects('checkSubject'));
  });
});

describe('checkAudience', () => {
  it('accepts aud equal to the client_id, as a string or a one-element list', () => {
    assert.doesNotThrow(() => checkAudience({ aud: 'client' }, 'client'));
    assert.doesNotThrow(() => checkAudience({ aud: ['client'] }, 'client'));
  });
  it('accepts other audiences when they are trusted', () => {
    assert.doesNotThrow(() => checkAudience({ aud: ['client', 'api'] }, 'client', ['api']));
  });
  it('rejects a wrong aud', () => {
    assert.throws(
      () => checkAudience({ aud: 'someone-else' }, 'client'),
      isError(VerificationError, 'checkAudience', (e) => e.detail['expected'] === 'client'),
    );
  });
  it('rejects a list that does not contain the client_id', () => {
    assert.throws(() => checkAudience({ aud: ['a', 'b'] }, 'client', ['a', 'b']), rejects('checkAudience'));
  });
  it('rejects untrusted extra audiences', () => {
    assert.throws(
      () => checkAudience({ aud: ['client', 'stranger'] }, 'client'),
      isError(VerificationError, 'checkAudience', (e) => JSON.stringify(e.detail['untrusted']) === '["stranger"]'),
    );
  });
  it('rejects a missing, empty or mistyped aud', () => {
    for (const aud of [undefined, [], 7, ['client', 3], null]) {
      assert.throws(() => checkAudience(aud === undefined ? {} : { aud }, 'client'), rejects('checkAudience'), `aud ${JSON.stringify(aud)}`);
    }
  });
});

describe('checkAuthorizedParty', () => {
  it('accepts no azp with a single audience', () => {
    assert.doesNotThrow(() => checkAuthorizedParty({ aud: 'client' }, 'client'));
    assert.doesNotThrow(() => checkAuthorizedParty({ aud: ['client'] }, 'client'));
  });
  it('accepts azp equal to the client_id', () => {
    assert.doesNotThrow(() => checkAuthorizedParty({ aud: ['client', 'api'], azp: 'client' }, 'client'));
  });
  it('rejects azp naming another party', () => {
    assert.throws(() => checkAuthorizedParty({ aud: 'client', azp: 'other' }, 'client'), rejects('checkAuthorizedParty'));
  });
  it('rejects several audiences without azp', () => {
    assert.throws(() => checkAuthorizedParty({ aud: ['client', 'api'] }, 'client'), rejects('checkAuthorizedParty'));
  });
});

describe('checkExpiry', () => {
  it('accepts a token that expires in the future', () => {
    assert.doesNotThrow(() => checkExpiry({ exp: NOW + 10 }, NOW, SKEW));
  });
  it('accepts a token expired less than the skew ago', () => {
    assert.doesNotThrow(() => checkExpiry({ exp: NOW - SKEW + 1 }, NOW, SKEW));
  });
  it('rejects an expired token', () => {
    assert.throws(
      () => checkExpiry({ exp: NOW - 3600 }, NOW, SKEW),
      isError(VerificationError, 'checkExpiry', (e) => e.detail['exp'] === NOW - 3600),
    );
  });
  it('rejects a token exactly at the end of the skew', () => {
    assert.throws(() => checkExpiry({ exp: NOW - SKEW }, NOW, SKEW), rejects('checkExpiry'));
  });
  it('rejects a missing or non-numeric exp', () => {
    for (const exp of [undefined, '1700000000', Number.NaN, Infinity]) {
      assert.throws(() => checkExpiry(exp === undefined ? {} : { exp }, NOW, SKEW), rejects('checkExpiry'), `exp ${String(exp)}`);
    }
  });
});

describe('checkIssuedAt', () => {
  it('accepts iat in the past and within the skew in the future', () => {
    assert.doesNotThrow(() => checkIssuedAt({ iat: NOW - 1000 }, NOW, SKEW));
    assert.doesNotThrow(() => checkIssuedAt({ iat: NOW + SKEW }, NOW, SKEW));
  });
  it('rejects iat in the future beyond the skew', () => {
    assert.throws(
      () => checkIssuedAt({ iat: NOW + SKEW + 1 }, NOW, SKEW),
      isError(VerificationError, 'checkIssuedAt', (e) => e.detail['iat'] === NOW + SKEW + 1),
    );
  });
  it('rejects a missing or non-numeric iat', () => {
    assert.throws(() => checkIssuedAt({}, NOW, SKEW), rejects('checkIssuedAt'));
    assert.throws(() => checkIssuedAt({ iat: 'now' }, NOW, SKEW), rejects('checkIssuedAt'));
  });
});

describe('checkNotBefore', () => {
  it('accepts no nbf, a past nbf, and an nbf within the skew', () => {
    assert.doesNotThrow(() => checkNotBefore({}, NOW, SKEW));
    assert.doesNotThrow(() => checkNotBefore({ nbf: NOW - 5 }, NOW, SKEW));
    assert.doesNotThrow(() => checkNotBefore({ nbf: NOW + SKEW }, NOW, SKEW));
  });
  it('rejects an nbf beyond the skew', () => {
    assert.throws(() => checkNotBefore({ nbf: NOW + SKEW + 1 }, NOW, SKEW), rejects('checkNotBefore'));
  });
  it('rejects a non-numeric nbf', () => {
    assert.throws(() => checkNotBefore({ nbf: 'soon' }, NOW, SKEW), rejects('checkNotBefore'));
  });
});

describe('checkNonce', () => {
  it('accepts the nonce that was sent', () => {
    assert.doesNotThrow(() => checkNonce({ nonce: 'n-0S6_WzA2Mj' }, 'n-0S6_WzA2Mj'));
  });
  it('accepts anything when no nonce was sent', () => {
    assert.doesNotThrow(() => checkNonce({}, undefined));
    assert.doesNotThrow(() => checkNonce({ nonce: 'whatever' }, undefined));
  });
  it('rejects a wrong nonce', () => {
    assert.throws(() => checkNonce({ nonce: 'replayed' }, 'n-0S6_WzA2Mj'), rejects('checkNonce'));
  });
  it('rejects a missing nonce when one was sent', () => {
    assert.throws(() => checkNonce({}, 'n-0S6_WzA2Mj'), rejects('checkNonce'));
  });
  it('rejects a nonce of another type', () => {
    assert.throws(() => checkNonce({ nonce: 1 }, '1'), rejects('checkNonce'));
  });
});

describe('checkAuthTime', () => {
  it('accepts no auth_time when neither max_age nor require_auth_time asked for it', () => {
    assert.doesNotThrow(() => checkAuthTime({}, undefined, false, NOW, SKEW));
  });
  it('rejects a missing auth_time when max_age was asked', () => {
    assert.throws(() => checkAuthTime({}, 300, false, NOW, SKEW), rejects('checkAuthTime'));
  });
  it('rejects a missing auth_time when require_auth_time is registered', () => {
    assert.throws(() => checkAuthTime({}, undefined, true, NOW, SKEW), rejects('checkAuthTime'));
  });
  it('accepts an authentication within max_age (and within max_age plus skew)', () => {
    assert.doesNotThrow(() => checkAuthTime({ auth_time: NOW - 100 }, 300, false, NOW, SKEW));
    assert.doesNotThrow(() => checkAuthTime({ auth_time: NOW - 300 - SKEW }, 300, false, NOW, SKEW));
  });
  it('rejects an authentication older than max_age plus skew', () => {
    assert.throws(
      () => checkAuthTime({ auth_time: NOW - 300 - SKEW - 1 }, 300, false, NOW, SKEW),
      isError(VerificationError, 'checkAuthTime', (e) => e.detail['max_age'] === 300),
    );
  });
  it('rejects a non-numeric auth_time', () => {
    assert.throws(() => checkAuthTime({ auth_time: 'yesterday' }, undefined, false, NOW, SKEW), rejects('checkAuthTime'));
  });
});

describe('checkSameSubject', () => {
  const first = { iss: ISS, sub: 'alice', auth_time: NOW - 10 };
  it('accepts when there is no earlier ID token', () => {
    assert.doesNotThrow(() => checkSameSubject(undefined, { iss: ISS, sub: 'bob' }, 'refreshed ID token'));
  });
  it('accepts the same iss and sub', () => {
    assert.doesNotThrow(() => checkSameSubject(first, { iss: ISS, sub: 'alice', auth_time: NOW - 10 }, 'refreshed ID token'));
  });
  it('rejects another sub', () => {
    assert.throws(
      () => checkSameSubject(first, { iss: ISS, sub: 'mallory' }, 'token endpoint\'s ID token'),
      isError(VerificationError, 'checkSameSubject', (e) => e.detail['claim'] === 'sub'),
    );
  });
  it('rejects another iss', () => {
    assert.throws(
      () => checkSameSubject(first, { iss: 'https://other.example', sub: 'alice' }, 'token endpoint\'s ID token'),
      isError(VerificationError, 'checkSameSubject', (e) => e.detail['claim'] === 'iss'),
    );
  });
  it('rejects a changed auth_time in a refreshed ID token', () => {
    assert.throws(
      () => checkSameSubject(first, { iss: ISS, sub: 'alice', auth_time: NOW }, 'refreshed ID token'),
      isError(VerificationError, 'checkSameSubject', (e) => e.detail['claim'] === 'auth_time'),
    );
  });
});

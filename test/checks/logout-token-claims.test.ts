/** The logout token claim checks (OpenID Connect Back-Channel Logout 1.0, 2.4 and 2.6). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerificationError } from '../../src/index.js';
import { BACKCHANNEL_LOGOUT_EVENT, checkJwtId, checkLogoutEvent, checkLogoutNonce, checkLogoutSubject } from '../../src/checks/check-logout-token-claims.js';
import { isError } from '../fixtures/http.js';

describe('checkLogoutEvent', () => {
  it('accepts the back-channel logout event with an object value', () => {
    assert.equal(BACKCHANNEL_LOGOUT_EVENT, 'http://schemas.openid.net/event/backchannel-logout');
    assert.doesNotThrow(() => checkLogoutEvent({ events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } }));
    assert.doesNotThrow(() => checkLogoutEvent({ events: { [BACKCHANNEL_LOGOUT_EVENT]: {}, 'urn:other': {} } }));
  });
  it('rejects a missing or non-object events claim', () => {
    for (const events of [undefined, null, 'logout', [BACKCHANNEL_LOGOUT_EVENT]]) {
      assert.throws(() => checkLogoutEvent(events === undefined ? {} : { events }), isError(VerificationError, 'checkLogoutEvent'), JSON.stringify(events));
    }
  });
  it('rejects events without the logout member, or with a non-object value', () => {
    assert.throws(() => checkLogoutEvent({ events: { 'urn:other': {} } }), isError(VerificationError, 'checkLogoutEvent'));
    assert.throws(() => checkLogoutEvent({ events: { [BACKCHANNEL_LOGOUT_EVENT]: true } }), isError(VerificationError, 'checkLogoutEvent'));
    assert.throws(() => checkLogoutEvent({ events: { [BACKCHANNEL_LOGOUT_EVENT]: [] } }), isError(VerificationError, 'checkLogoutEvent'));
  });
});

describe('checkLogoutNonce', () => {
  it('accepts no nonce and rejects any nonce', () => {
    assert.doesNotThrow(() => checkLogoutNonce({ sid: 's' }));
    assert.throws(() => checkLogoutNonce({ nonce: 'n' }), isError(VerificationError, 'checkLogoutNonce'));
    assert.throws(() => checkLogoutNonce({ nonce: '' }), isError(VerificationError, 'checkLogoutNonce'));
  });
});

describe('checkLogoutSubject', () => {
  it('accepts sub, sid, or both', () => {
    assert.doesNotThrow(() => checkLogoutSubject({ sub: 'u' }));
    assert.doesNotThrow(() => checkLogoutSubject({ sid: 's' }));
    assert.doesNotThrow(() => checkLogoutSubject({ sub: 'u', sid: 's' }));
  });
  it('rejects neither, and non-string values', () => {
    assert.throws(() => checkLogoutSubject({}), isError(VerificationError, 'checkLogoutSubject'));
    assert.throws(() => checkLogoutSubject({ sub: 1 }), isError(VerificationError, 'checkLogoutSubject'));
    assert.throws(() => checkLogoutSubject({ sub: 'u', sid: {} }), isError(VerificationError, 'checkLogoutSubject'));
  });
});

describe('checkJwtId', () => {
  it('returns the jti and rejects a missing or empty one', () => {
    assert.equal(checkJwtId({ jti: 'bWJq' }), 'bWJq');
    assert.throws(() => checkJwtId({}), isError(VerificationError, 'checkJwtId'));
    assert.throws(() => checkJwtId({ jti: '' }), isError(VerificationError, 'checkJwtId'));
    assert.throws(() => checkJwtId({ jti: 7 }), isError(VerificationError, 'checkJwtId'));
  });
});

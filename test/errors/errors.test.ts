/** The typed errors: class, check, detail, and no secrets in their JSON view. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError, OPError, OidcError, ResponseError, TransportError, VerificationError, isOidcError } from '../../src/index.js';

describe('errors', () => {
  it('every typed error is an OidcError with its own name and the check', () => {
    for (const Type of [ConfigurationError, TransportError, ResponseError, VerificationError]) {
      const error = new Type('checkNonce', 'message', { detail: { a: 1 } });
      assert.ok(error instanceof OidcError);
      assert.ok(error instanceof Error);
      assert.equal(error.name, Type.name);
      assert.equal(error.check, 'checkNonce');
      assert.equal(error.clause, 'OIDC Core 1.0, 3.1.3.7 step 11');
      assert.deepEqual(error.detail, { a: 1 });
      assert.equal(isOidcError(error), true);
    }
    assert.equal(isOidcError(new Error('plain')), false);
  });

  it('OPError carries error, error_description and error_uri', () => {
    const error = new OPError('checkErrorResponse', { error: 'invalid_grant', error_description: 'code expired', error_uri: 'https://op/errors' });
    assert.equal(error.error, 'invalid_grant');
    assert.equal(error.errorDescription, 'code expired');
    assert.equal(error.errorUri, 'https://op/errors');
    assert.match(error.message, /invalid_grant.*code expired/);
    assert.equal(error.detail['error'], 'invalid_grant');
  });

  it('toJSON gives name, check, clause, message and detail, and never the cause', () => {
    const error = new VerificationError('checkNonce', 'bad nonce', { cause: new Error('secret-in-cause'), detail: { n: 1 } });
    assert.deepEqual(error.toJSON(), { name: 'VerificationError', check: 'checkNonce', clause: 'OIDC Core 1.0, 3.1.3.7 step 11', message: 'bad nonce', detail: { n: 1 } });
    assert.equal(JSON.stringify(error).includes('secret-in-cause'), false);
    assert.equal((error.cause as Error).message, 'secret-in-cause');
  });

  it('a ConfigurationError names its setting, in the error and in its detail', () => {
    const error = new ConfigurationError('configSetting', 'the setting clock_skew must be a number', { setting: 'clock_skew' });
    assert.equal(error.setting, 'clock_skew');
    assert.equal(error.detail['setting'], 'clock_skew');
    assert.equal(error.toJSON()['check'], 'configSetting');
  });
});

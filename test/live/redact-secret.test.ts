/** The password never leaves a browser login inside an error. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoginStepError } from '../../live/login-step-error.js';
import { redactSecret } from '../../live/redact-secret.js';

describe('redactSecret', () => {
  it('removes the secret, raw and URL-encoded, from message and stack', () => {
    const error = redactSecret(new Error('fill("p@ss word!") failed; body=p%40ss%20word!'), 'p@ss word!');
    assert.equal(error.message, 'fill("[redacted]") failed; body=[redacted]');
    assert.ok(!error.stack?.includes('p@ss word!'));
  });

  it('keeps a LoginStepError and its stage', () => {
    const original = new LoginStepError('optional step', 'nothing secret here');
    const error = redactSecret(original, 'hunter2');
    assert.equal(error, original);
    assert.ok(error instanceof LoginStepError && error.stage === 'optional step');
  });

  it('turns a thrown non-Error into an Error', () => {
    assert.equal(redactSecret('oops hunter2', 'hunter2').message, 'oops [redacted]');
  });
});

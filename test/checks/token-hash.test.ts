/**
 * at_hash, c_hash and s_hash (OpenID Connect Core 3.1.3.6, 3.2.2.9, 3.3.2.10), with the
 * specification's own example values (appendix A.4 / A.6).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { VerificationError } from '../../src/index.js';
import { checkAtHash, checkCHash, checkSHash } from '../../src/checks/check-token-hash.js';
import { leftHalfHash } from '../../src/jose/hash-claim.js';
import { isError } from '../fixtures/http.js';

// OpenID Connect Core, appendix A: the hybrid flow examples.
const ACCESS_TOKEN = 'jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y';
const AT_HASH = '77QmUPtjPfzWtF2AnpK9RQ';
const CODE = 'Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk';
const C_HASH = 'LDktKdoQak3Pk0cnXxCltA';

describe('leftHalfHash', () => {
  it('gives the specification example values for RS256', () => {
    assert.equal(leftHalfHash(ACCESS_TOKEN, 'RS256'), AT_HASH);
    assert.equal(leftHalfHash(CODE, 'RS256'), C_HASH);
  });
  it('uses the hash of the algorithm: SHA-384 for ES384, SHA-512 for PS512 and EdDSA', () => {
    const half = (alg: string, bytes: number) => createHash(alg).update('abc').digest().subarray(0, bytes).toString('base64url');
    assert.equal(leftHalfHash('abc', 'ES384'), half('sha384', 24));
    assert.equal(leftHalfHash('abc', 'PS512'), half('sha512', 32));
    assert.equal(leftHalfHash('abc', 'EdDSA'), half('sha512', 32));
    assert.equal(leftHalfHash('abc', 'HS256'), half('sha256', 16));
  });
  it('is undefined for an algorithm without a hash', () => {
    assert.equal(leftHalfHash('abc', 'none'), undefined);
    assert.equal(leftHalfHash('abc', 'XYZ999'), undefined);
  });
});

describe('checkAtHash', () => {
  it('accepts the matching at_hash', () => {
    assert.doesNotThrow(() => checkAtHash({ at_hash: AT_HASH }, ACCESS_TOKEN, 'RS256', true));
  });
  it('rejects a wrong at_hash', () => {
    assert.throws(() => checkAtHash({ at_hash: C_HASH }, ACCESS_TOKEN, 'RS256', false), isError(VerificationError, 'checkAtHash'));
  });
  it('rejects an at_hash computed with the wrong hash function', () => {
    assert.throws(() => checkAtHash({ at_hash: AT_HASH }, ACCESS_TOKEN, 'RS512', false), isError(VerificationError, 'checkAtHash'));
  });
  it('rejects a missing at_hash where required', () => {
    assert.throws(() => checkAtHash({}, ACCESS_TOKEN, 'RS256', true), isError(VerificationError, 'checkAtHash'));
  });
  it('accepts a missing at_hash where optional', () => {
    assert.doesNotThrow(() => checkAtHash({}, ACCESS_TOKEN, 'RS256', false));
  });
  it('rejects an at_hash with an algorithm that defines no hash', () => {
    assert.throws(() => checkAtHash({ at_hash: AT_HASH }, ACCESS_TOKEN, 'none', false), isError(VerificationError, 'checkAtHash'));
  });
});

describe('checkCHash', () => {
  it('accepts the matching c_hash', () => {
    assert.doesNotThrow(() => checkCHash({ c_hash: C_HASH }, CODE, 'RS256', true));
  });
  it('rejects a wrong c_hash', () => {
    assert.throws(() => checkCHash({ c_hash: AT_HASH }, CODE, 'RS256', true), isError(VerificationError, 'checkCHash'));
  });
  it('rejects a c_hash of another code', () => {
    assert.throws(() => checkCHash({ c_hash: C_HASH }, `${CODE}x`, 'RS256', false), isError(VerificationError, 'checkCHash'));
  });
  it('rejects a missing c_hash where required', () => {
    assert.throws(() => checkCHash({}, CODE, 'RS256', true), isError(VerificationError, 'checkCHash'));
  });
  it('accepts a missing c_hash where optional', () => {
    assert.doesNotThrow(() => checkCHash({}, CODE, 'RS256', false));
  });
});

describe('checkSHash', () => {
  it('accepts the matching s_hash and rejects another', () => {
    const sHash = leftHalfHash('state-1', 'ES256');
    assert.doesNotThrow(() => checkSHash({ s_hash: sHash }, 'state-1', 'ES256', false));
    assert.throws(() => checkSHash({ s_hash: sHash }, 'state-2', 'ES256', false), isError(VerificationError, 'checkSHash'));
  });
  it('rejects a missing s_hash where required', () => {
    assert.throws(() => checkSHash({}, 'state-1', 'ES256', true), isError(VerificationError, 'checkSHash'));
  });
});

/** PKCE (RFC 7636) and random tokens. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPkcePair, s256 } from '../../src/pkce.js';
import { randomToken } from '../../src/random.js';

describe('PKCE', () => {
  it('s256 gives the RFC 7636 appendix B challenge', () => {
    assert.equal(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('createPkcePair gives a 43-character verifier and its S256 challenge', () => {
    const pair = createPkcePair();
    assert.match(pair.code_verifier, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(pair.code_challenge, s256(pair.code_verifier));
    assert.equal(pair.code_challenge_method, 'S256');
    assert.notEqual(createPkcePair().code_verifier, pair.code_verifier);
  });
});

describe('randomToken', () => {
  it('is base64url with the entropy asked for, and differs each time', () => {
    assert.match(randomToken(), /^[A-Za-z0-9_-]{43}$/);
    assert.match(randomToken(16), /^[A-Za-z0-9_-]{22}$/);
    assert.equal(new Set(Array.from({ length: 50 }, () => randomToken(8))).size, 50);
  });
});

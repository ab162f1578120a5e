/** decodeJws and isCompactJwe: parsing without verifying. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64url } from 'jose';
import { ResponseError } from '../../src/index.js';
import { decodeJws, isCompactJwe } from '../../src/jose/jwt-parts.js';
import { isError } from '../fixtures/http.js';

const enc = (value: unknown): string => base64url.encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('decodeJws', () => {
  it('splits a compact JWS into header, payload and signature', () => {
    const parts = decodeJws(`${enc({ alg: 'RS256', kid: 'k' })}.${enc({ sub: 'a' })}.c2ln`);
    assert.deepEqual(parts.header, { alg: 'RS256', kid: 'k' });
    assert.deepEqual(parts.payload, { sub: 'a' });
    assert.equal(parts.signature, 'c2ln');
  });
  it('accepts an empty signature (an unsecured JWT)', () => {
    assert.equal(decodeJws(`${enc({ alg: 'none' })}.${enc({ sub: 'a' })}.`).signature, '');
  });
  it('rejects a payload that is not a JSON object', () => {
    assert.throws(() => decodeJws(`${enc({ alg: 'none' })}.${enc('[1,2]')}.`), isError(ResponseError, 'checkJwtFormat'));
    assert.throws(() => decodeJws(`${enc({ alg: 'none' })}.${enc('plain text')}.`), isError(ResponseError, 'checkJwtFormat'));
  });
  it('rejects a header that is not JSON, under the check name given', () => {
    assert.throws(() => decodeJws(`${enc('nope')}.${enc({})}.`, 'checkUserInfoFormat'), isError(ResponseError, 'checkUserInfoFormat'));
  });
  it('rejects invalid UTF-8', () => {
    const bad = base64url.encode(new Uint8Array([0x7b, 0xff, 0x7d]));
    assert.throws(() => decodeJws(`${enc({ alg: 'none' })}.${bad}.`), isError(ResponseError, 'checkJwtFormat'));
  });
  it('rejects other shapes', () => {
    for (const token of ['', 'a.b', '.b.c', 'a..c', 'a.b.c.d.e', 'a+b.c.d', undefined as unknown as string]) {
      assert.throws(() => decodeJws(token), isError(ResponseError, 'checkJwtFormat'), String(token));
    }
  });
});

describe('isCompactJwe', () => {
  it('is true for five parts and false otherwise', () => {
    assert.equal(isCompactJwe('a.b.c.d.e'), true);
    assert.equal(isCompactJwe('a..c.d.e'), true);
    assert.equal(isCompactJwe('a.b.c'), false);
  });
});

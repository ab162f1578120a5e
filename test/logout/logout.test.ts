/**
 * Back-channel logout (logout token verification and the sessions it ends), front-channel logout,
 * and sessionsOf.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ResponseError, VerificationError, type ServiceContext } from '../../src/index.js';
import { BACKCHANNEL_LOGOUT_EVENT } from '../../src/checks/check-logout-token-claims.js';
import { handleBackChannelLogout } from '../../src/logout/backchannel-logout.js';
import { handleFrontChannelLogout } from '../../src/logout/frontchannel-logout.js';
import { sessionsOf } from '../../src/logout/sessions-of.js';
import { verifyLogoutToken } from '../../src/logout/verify-logout-token.js';
import { randomToken } from '../../src/random.js';
import { CLIENT_ID, CLIENT_SECRET, ISSUER, NOW, makeContext } from '../fixtures/context.js';
import { tokenSession } from '../fixtures/flows.js';
import { isError } from '../fixtures/http.js';
import { hmacToken, idTokenClaims, signToken, tamperSignature, unsignedToken } from '../fixtures/tokens.js';

const FORM = 'application/x-www-form-urlencoded';

/** Valid logout token claims with a fresh jti; an `undefined` override removes the claim. */
function logoutClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = { iss: ISSUER, aud: CLIENT_ID, iat: NOW, exp: NOW + 120, jti: randomToken(12), events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, sid: 'sid-1', ...overrides };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return claims;
}
const logoutToken = (overrides: Record<string, unknown> = {}) => signToken(logoutClaims(overrides));
const form = (token: string) => new URLSearchParams({ logout_token: token }).toString();

let context: ServiceContext;
before(async () => {
  context = await makeContext();
});

describe('verifyLogoutToken: accepting', () => {
  it('accepts a logout token with sid, with sub, or with both', async () => {
    assert.equal((await verifyLogoutToken(await logoutToken(), context)).sid, 'sid-1');
    assert.equal((await verifyLogoutToken(await logoutToken({ sid: undefined, sub: 'user-1' }), context)).sub, 'user-1');
    await verifyLogoutToken(await logoutToken({ sub: 'user-1' }), context);
  });

  it('accepts an exp in the future and HS256 with the client secret', async () => {
    await verifyLogoutToken(await logoutToken({ exp: NOW + 120 }), context);
    await verifyLogoutToken(await hmacToken(logoutClaims(), CLIENT_SECRET), context);
  });
});

describe('verifyLogoutToken: rejecting', () => {
  const rejects = async (token: string, check: string) => assert.rejects(verifyLogoutToken(token, context), isError(VerificationError, check));

  it('a replayed jti (checkJwtId)', async () => {
    const token = await logoutToken();
    await verifyLogoutToken(token, context);
    await rejects(token, 'checkJwtId');
  });
  it('a missing jti (checkJwtId)', async () => rejects(await logoutToken({ jti: undefined }), 'checkJwtId'));
  it('a tampered signature (checkSignature)', async () => rejects(tamperSignature(await logoutToken()), 'checkSignature'));
  it('alg none (checkAlgorithm), even with none registered for ID tokens', async () => {
    await rejects(unsignedToken(logoutClaims()), 'checkAlgorithm');
    const noneRegistered = await makeContext({ behaviour: { id_token_signed_response_alg: 'none' } });
    await assert.rejects(verifyLogoutToken(unsignedToken(logoutClaims()), noneRegistered), isError(VerificationError, 'checkAlgorithm'));
  });
  it('a wrong iss (checkIssuer)', async () => rejects(await logoutToken({ iss: 'https://evil.example.com' }), 'checkIssuer'));
  it('a wrong aud (checkAudience)', async () => rejects(await logoutToken({ aud: 'other-client' }), 'checkAudience'));
  it('iat in the future or missing (checkIssuedAt)', async () => {
    await rejects(await logoutToken({ iat: NOW + 3600 }), 'checkIssuedAt');
    await rejects(await logoutToken({ iat: undefined }), 'checkIssuedAt');
  });
  it('an expired token (checkExpiry)', async () => rejects(await logoutToken({ exp: NOW - 3600, iat: NOW - 7200 }), 'checkExpiry'));
  it('a token without exp, which the final specification requires (checkExpiry)', async () => rejects(await logoutToken({ exp: undefined }), 'checkExpiry'));
  it('no logout event (checkLogoutEvent)', async () => {
    await rejects(await logoutToken({ events: undefined }), 'checkLogoutEvent');
    await rejects(await logoutToken({ events: { 'urn:other': {} } }), 'checkLogoutEvent');
  });
  it('neither sub nor sid (checkLogoutSubject)', async () => rejects(await logoutToken({ sid: undefined }), 'checkLogoutSubject'));
  it('a nonce (checkLogoutNonce)', async () => rejects(await logoutToken({ nonce: 'n' }), 'checkLogoutNonce'));
  it('an ID token replayed as a logout token', async () => rejects(await signToken(idTokenClaims({ nonce: 'n', sid: 'sid-1', jti: 'j' })), 'checkLogoutEvent'));
});

describe('handleBackChannelLogout', () => {
  it('ends the session of the sid and answers 200', async () => {
    const ctx = await makeContext();
    const { state } = await tokenSession(ctx, { claims: { sid: 'op-sid-A' } });
    const other = await tokenSession(ctx, { claims: { sid: 'op-sid-B' } });
    const result = await handleBackChannelLogout(ctx, form(await logoutToken({ sid: 'op-sid-A', sub: 'user-1' })), FORM);
    assert.deepEqual(result, { status: 200, endedSessions: [state] });
    assert.equal(await ctx.stateDb.hasState(state), false);
    assert.equal(await ctx.stateDb.hasState(other.state), true);
  });

  it('ends the session of the sub when there is no sid', async () => {
    const ctx = await makeContext();
    const { state } = await tokenSession(ctx, { claims: { sub: 'user-only-sub' } });
    const result = await handleBackChannelLogout(ctx, form(await logoutToken({ sid: undefined, sub: 'user-only-sub' })), FORM);
    assert.equal(result.status, 200);
    assert.deepEqual(result.endedSessions, [state]);
  });

  it('without sid, ends every session of the sub', async () => {
    const ctx = await makeContext();
    const first = await tokenSession(ctx, { claims: { sub: 'two-browsers' } });
    const second = await tokenSession(ctx, { claims: { sub: 'two-browsers' } });
    const result = await handleBackChannelLogout(ctx, form(await logoutToken({ sid: undefined, sub: 'two-browsers' })), FORM);
    assert.equal(result.status, 200);
    assert.deepEqual([...result.endedSessions].sort(), [first.state, second.state].sort());
  });

  it('ends nothing when sid and sub name different users, but answers 200', async () => {
    const ctx = await makeContext();
    const { state } = await tokenSession(ctx, { claims: { sid: 'op-sid-C' } });
    const result = await handleBackChannelLogout(ctx, form(await logoutToken({ sid: 'op-sid-C', sub: 'somebody-else' })), FORM);
    assert.deepEqual(result, { status: 200, endedSessions: [] });
    assert.equal(await ctx.stateDb.hasState(state), true);
  });

  it('answers 400 and ends nothing for a bad token, naming the check', async () => {
    const ctx = await makeContext();
    const { state } = await tokenSession(ctx, { claims: { sid: 'op-sid-D' } });
    const result = await handleBackChannelLogout(ctx, form(tamperSignature(await logoutToken({ sid: 'op-sid-D' }))), FORM);
    assert.equal(result.status, 400);
    assert.deepEqual(result.endedSessions, []);
    assert.ok(result.error instanceof VerificationError && result.error.check === 'checkSignature');
    assert.equal(await ctx.stateDb.hasState(state), true);
  });

  it('answers 400 for another content type (checkLogoutToken)', async () => {
    const result = await handleBackChannelLogout(context, JSON.stringify({ logout_token: await logoutToken() }), 'application/json');
    assert.equal(result.status, 400);
    assert.ok(result.error instanceof ResponseError && result.error.check === 'checkLogoutToken');
  });

  it('answers 400 without exactly one logout_token (checkLogoutToken)', async () => {
    for (const body of ['', 'logout_token=', `${form(await logoutToken())}&${form(await logoutToken())}`]) {
      const result = await handleBackChannelLogout(context, body, `${FORM}; charset=utf-8`);
      assert.equal(result.status, 400, body.slice(0, 30));
      assert.ok(result.error instanceof ResponseError && result.error.check === 'checkLogoutToken');
    }
  });
});

describe('handleFrontChannelLogout', () => {
  it('ends the session of the sid when iss is the OP\'s', async () => {
    const ctx = await makeContext();
    const { state } = await tokenSession(ctx, { claims: { sid: 'fc-sid' } });
    const result = await handleFrontChannelLogout(ctx, new URLSearchParams({ iss: ISSUER, sid: 'fc-sid' }));
    assert.deepEqual(result, { status: 200, endedSessions: [state] });
    assert.equal(await ctx.stateDb.hasState(state), false);
  });

  it('rejects another iss (checkIssuer) and ends nothing', async () => {
    const ctx = await makeContext();
    const { state } = await tokenSession(ctx, { claims: { sid: 'fc-sid-2' } });
    const result = await handleFrontChannelLogout(ctx, new URLSearchParams({ iss: 'https://evil.example.com', sid: 'fc-sid-2' }));
    assert.equal(result.status, 400);
    assert.ok(result.error instanceof VerificationError && result.error.check === 'checkIssuer');
    assert.equal(await ctx.stateDb.hasState(state), true);
  });

  it('rejects a missing iss or sid when frontchannel_logout_session_required (checkFrontChannelLogout)', async () => {
    const requiring = await makeContext({ behaviour: { frontchannel_logout_session_required: true } });
    for (const query of [{ iss: ISSUER }, { sid: 's' }, {}] as Array<Record<string, string>>) {
      const result = await handleFrontChannelLogout(requiring, new URLSearchParams(query));
      assert.equal(result.status, 400);
      assert.ok(result.error instanceof VerificationError && result.error.check === 'checkFrontChannelLogout', JSON.stringify(query));
    }
  });

  it('accepts a request without parameters when not required, ending nothing', async () => {
    assert.deepEqual(await handleFrontChannelLogout(context, new URLSearchParams()), { status: 200, endedSessions: [] });
  });
});

describe('sessionsOf', () => {
  it('finds the session of a sid, of a sub, and nothing for unknown values', async () => {
    const ctx = await makeContext();
    const { state } = await tokenSession(ctx, { claims: { sid: 'so-sid', sub: 'so-sub' } });
    assert.deepEqual(await sessionsOf(ctx, 'so-sid', undefined), [state]);
    assert.deepEqual(await sessionsOf(ctx, 'so-sid', 'so-sub'), [state]);
    assert.deepEqual(await sessionsOf(ctx, 'so-sid', 'other-sub'), []);
    assert.deepEqual(await sessionsOf(ctx, undefined, 'so-sub'), [state]);
    assert.deepEqual(await sessionsOf(ctx, 'unknown', undefined), []);
    assert.deepEqual(await sessionsOf(ctx, undefined, undefined), []);
  });

  it('finds nothing for an index left pointing at a removed session', async () => {
    const ctx = await makeContext();
    const { state } = await tokenSession(ctx, { claims: { sid: 'gone-sid' } });
    await ctx.stateDb.storeSid2State('gone-sid-2', state);
    await ctx.stateDb.removeState(state);
    assert.deepEqual(await sessionsOf(ctx, 'gone-sid-2', undefined), []);
  });
});

/**
 * Aggregated and distributed claims (OpenID Connect Core 5.6.2): claims JWTs verified with their
 * issuer's keys, only the claims `_claim_names` assigns to a source merged, and the
 * DistributedClaims service that fetches the distributed ones.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ResponseError, VerificationError, serviceRequest, type JsonObject, type ServiceContext } from '../../src/index.js';
import { pendingDistributedSources, resolveAggregatedClaims, verifyClaimsJwt } from '../../src/claims/claim-sources.js';
import { DistributedClaims } from '../../src/services/distributed-claims.js';
import { UserInfo } from '../../src/services/userinfo.js';
import { ISSUER, makeContext } from '../fixtures/context.js';
import { tokenSession } from '../fixtures/flows.js';
import { httpResponse, isError } from '../fixtures/http.js';
import { ecKey, type KeyPairFixture } from '../fixtures/keys.js';
import { signToken, tamperSignature, unsignedToken } from '../fixtures/tokens.js';

const PROVIDER = 'https://claims.example.com';
let cp: KeyPairFixture;
let context: ServiceContext;

before(async () => {
  cp = await ecKey('claims-provider-1');
  context = await makeContext();
  context.keyJar.addIssuerJwks(PROVIDER, { keys: [cp.publicJwk] });
});

const aggregated = (jwt: string, names: Record<string, string> = { address: 'src1', phone_number: 'src1' }): JsonObject => ({
  sub: 'user-1',
  name: 'Alice',
  _claim_names: names,
  _claim_sources: { src1: { JWT: jwt } },
});

describe('verifyClaimsJwt', () => {
  it('verifies a claims JWT of the OP and of a claims provider whose keys the RP has', async () => {
    assert.equal((await verifyClaimsJwt(await signToken({ iss: ISSUER, a: 1 }), context, 's'))['a'], 1);
    assert.equal((await verifyClaimsJwt(await signToken({ iss: PROVIDER, b: 2 }, { key: cp }), context, 's'))['b'], 2);
  });

  it('rejects a tampered JWT, alg none, and an issuer whose keys are unknown (checkClaimSource)', async () => {
    const check = isError(VerificationError, 'checkClaimSource');
    await assert.rejects(verifyClaimsJwt(tamperSignature(await signToken({ iss: PROVIDER }, { key: cp })), context, 's'), check);
    await assert.rejects(verifyClaimsJwt(unsignedToken({ iss: ISSUER, a: 1 }), context, 's'), check);
    await assert.rejects(verifyClaimsJwt(await signToken({ iss: 'https://unknown.example.com' }, { key: cp }), context, 's'), check);
    await assert.rejects(verifyClaimsJwt('not-a-jwt', context, 's'), check);
  });

  it('rejects a claims provider JWT signed with the OP\'s key under the provider\'s name', async () => {
    await assert.rejects(verifyClaimsJwt(await signToken({ iss: PROVIDER }, { kid: cp.kid }), context, 's'), isError(VerificationError, 'checkClaimSource'));
  });
});

describe('resolveAggregatedClaims', () => {
  it('leaves a response without _claim_sources alone', async () => {
    const plain = { sub: 'user-1', name: 'Alice' };
    assert.deepEqual(await resolveAggregatedClaims(plain, context), { claims: plain, distributed: [] });
  });

  it('merges only the claims _claim_names assigns to the source, and drops _claim_*', async () => {
    const jwt = await signToken({ iss: PROVIDER, address: { country: 'SE' }, phone_number: '+46 1', sub: 'attacker', name: 'Mallory' }, { key: cp });
    const { claims, distributed } = await resolveAggregatedClaims(aggregated(jwt), context);
    assert.deepEqual(claims, { sub: 'user-1', name: 'Alice', address: { country: 'SE' }, phone_number: '+46 1' });
    assert.deepEqual(distributed, []);
  });

  it('rejects an aggregated source that does not verify (checkClaimSource)', async () => {
    const jwt = tamperSignature(await signToken({ iss: PROVIDER, address: 'x' }, { key: cp }));
    await assert.rejects(resolveAggregatedClaims(aggregated(jwt), context), isError(VerificationError, 'checkClaimSource'));
  });

  it('returns distributed sources and keeps only them in _claim_names / _claim_sources', async () => {
    const userinfo = {
      sub: 'user-1',
      _claim_names: { credit_score: 'src2', payment_info: 'src2', address: 'src1' },
      _claim_sources: { src1: { JWT: await signToken({ iss: PROVIDER, address: 'Street 1' }, { key: cp }) }, src2: { endpoint: 'https://bank.example.com/claims', access_token: 'bank-token' } },
    };
    const { claims, distributed } = await resolveAggregatedClaims(userinfo, context);
    assert.deepEqual(distributed, [{ name: 'src2', endpoint: 'https://bank.example.com/claims', claims: ['credit_score', 'payment_info'], access_token: 'bank-token' }]);
    assert.equal(claims['address'], 'Street 1');
    assert.deepEqual(claims['_claim_names'], { credit_score: 'src2', payment_info: 'src2' });
    assert.deepEqual(claims['_claim_sources'], { src2: { endpoint: 'https://bank.example.com/claims', access_token: 'bank-token' } });
    assert.deepEqual(pendingDistributedSources(claims), distributed);
  });

  it('pendingDistributedSources is empty without sources', () => {
    assert.deepEqual(pendingDistributedSources(undefined), []);
    assert.deepEqual(pendingDistributedSources({ sub: 'a' }), []);
    assert.deepEqual(pendingDistributedSources({ _claim_sources: { s: { JWT: 'x' } } }), []);
  });
});

describe('UserInfo with aggregated claims', () => {
  it('merges verified aggregated claims into the userinfo response', async () => {
    const { state } = await tokenSession(context);
    const jwt = await signToken({ iss: PROVIDER, address: 'Street 2' }, { key: cp });
    const claims = await new UserInfo(context).parseResponse(httpResponse(aggregated(jwt, { address: 'src1' })), { state });
    assert.equal(claims['address'], 'Street 2');
    assert.equal(claims['_claim_sources'], undefined);
  });

  it('rejects the userinfo response when an aggregated source does not verify', async () => {
    const { state } = await tokenSession(context);
    const jwt = tamperSignature(await signToken({ iss: PROVIDER, address: 'x' }, { key: cp }));
    await assert.rejects(new UserInfo(context).parseResponse(httpResponse(aggregated(jwt)), { state }), isError(VerificationError, 'checkClaimSource'));
  });
});

describe('DistributedClaims', () => {
  /** A session whose stored user info names a distributed source. */
  async function sessionWithSource(ctx: ServiceContext = context): Promise<string> {
    const { state } = await tokenSession(ctx);
    await ctx.stateDb.storeItem(
      {
        sub: 'user-1',
        _claim_names: { credit_score: 'bank', payment_info: 'bank' },
        _claim_sources: { bank: { endpoint: 'https://bank.example.com/claims', access_token: 'bank-access-token' } },
      },
      'user_info',
      state,
    );
    return state;
  }

  it('GETs the source\'s endpoint with the source\'s access token, never the OP\'s', async () => {
    const state = await sessionWithSource();
    const info = await new DistributedClaims(context).getRequestParameters({ state });
    assert.equal(info.method, 'GET');
    assert.equal(info.url, 'https://bank.example.com/claims');
    assert.equal(info.headers?.['Authorization'], 'Bearer bank-access-token');
    assert.equal(JSON.stringify(info).includes('access-token-1'), false);
  });

  it('merges the verified claims of the source into user_info and drops the source', async () => {
    const state = await sessionWithSource();
    const service = new DistributedClaims(context);
    await service.getRequestParameters({ state, source: 'bank' });
    const jwt = await signToken({ iss: PROVIDER, credit_score: 700, payment_info: 'visa', sub: 'attacker' }, { key: cp });
    const response = await service.parseResponse(httpResponse(jwt, { contentType: 'application/jwt' }), { state });
    assert.deepEqual(response, { __source: 'bank', credit_score: 700, payment_info: 'visa' });
    await service.updateServiceContext(response, { state });
    assert.deepEqual(await context.stateDb.getItem('user_info', state), { sub: 'user-1', credit_score: 700, payment_info: 'visa' });
  });

  it('rejects a claims JWT that does not verify (checkClaimSource)', async () => {
    const state = await sessionWithSource();
    const service = new DistributedClaims(context);
    await service.getRequestParameters({ state });
    const jwt = tamperSignature(await signToken({ iss: PROVIDER, credit_score: 1 }, { key: cp }));
    await assert.rejects(service.parseResponse(httpResponse(jwt, { contentType: 'application/jwt' }), { state }), isError(VerificationError, 'checkClaimSource'));
  });

  it('rejects another content type (checkContentType) and a non-200 (checkHttpStatus)', async () => {
    const state = await sessionWithSource();
    const service = new DistributedClaims(context);
    await service.getRequestParameters({ state });
    await assert.rejects(service.parseResponse(httpResponse({ credit_score: 1 }), { state }), isError(ResponseError, 'checkContentType'));
    await assert.rejects(service.parseResponse(httpResponse('no', { status: 503, contentType: 'text/plain' }), { state }), isError(ResponseError, 'checkHttpStatus'));
  });

  it('refuses a source endpoint over plain http (checkHttps): the source\'s access token never travels in clear', async () => {
    const { state } = await tokenSession(context);
    await context.stateDb.storeItem({ sub: 'user-1', _claim_names: { credit_score: 'bank' }, _claim_sources: { bank: { endpoint: 'http://bank.example.com/claims', access_token: 'bank-access-token' } } }, 'user_info', state);
    await assert.rejects(new DistributedClaims(context).getRequestParameters({ state }), isError(VerificationError, 'checkHttps', (e) => !e.message.includes('bank-access-token')));
  });

  it('refuses a source endpoint in the private network (checkPublicAddress), sending nothing', async () => {
    const { state } = await tokenSession(context);
    await context.stateDb.storeItem({ sub: 'user-1', _claim_names: { credit_score: 'bank' }, _claim_sources: { bank: { endpoint: 'https://169.254.169.254/latest/meta-data/', access_token: 'bank-access-token' } } }, 'user_info', state);
    const sent: unknown[] = [];
    const client = { async send(request: unknown) { sent.push(request); throw new Error('must not be sent'); } };
    await assert.rejects(serviceRequest(new DistributedClaims(context), client as never, { state }, { state }), isError(VerificationError, 'checkPublicAddress'));
    assert.deepEqual(sent, []);
  });

  it('needs a state and a pending source', async () => {
    const service = new DistributedClaims(context);
    await assert.rejects(service.getRequestParameters(), TypeError);
    const { state } = await tokenSession(context);
    await assert.rejects(service.getRequestParameters({ state }), isError(ResponseError, 'sessionClaimSource'));
    const withSource = await sessionWithSource();
    await assert.rejects(service.getRequestParameters({ state: withSource, source: 'no-such-source' }), isError(ResponseError, 'sessionClaimSource'));
    await assert.rejects(service.updateServiceContext({ __source: 'bank' }), TypeError);
  });
});

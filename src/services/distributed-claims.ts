import { checkHttps } from '../checks/check-https.js';
import { pendingDistributedSources, verifyClaimsJwt } from '../claims/claim-sources.js';
import { ResponseError, VerificationError, missingStateError } from '../errors.js';
import type { JsonObject } from '../messages.js';
import type { RequestParameters } from '../transport/http.js';
import { Service, type ResponseFormat, type StateOptions } from './service.js';

/** Arguments of a distributed claims request. */
export interface DistributedClaimsArgs {
  /** The session whose user info names the source. Required. */
  state: string;
  /** The source's name in `_claim_sources`; default the first still pending. */
  source?: string;
}

/**
 * Fetches distributed claims (OpenID Connect Core 5.6.2) named in a session's user info: GET the
 * source's endpoint with its access token; the answer is a signed JWT whose claims the user info's
 * `_claim_names` assigns to the source, merged into the session's `user_info`.
 */
export class DistributedClaims extends Service<DistributedClaimsArgs, JsonObject> {
  readonly serviceName = 'distributed_claims' as const;
  protected readonly what = 'distributed claims response';
  protected override readonly formats: Readonly<Record<string, ResponseFormat>> = { 'application/jwt': 'jwt' };
  #source: string | undefined;

  /**
   * @throws {ResponseError} `sessionClaimSource` when no such source is pending.
   * @throws {VerificationError} `checkHttps` when the source's endpoint is not https (unless `allow.http_links`).
   */
  async getRequestParameters(args?: DistributedClaimsArgs): Promise<RequestParameters> {
    if (typeof args?.state !== 'string' || args.state === '') throw missingStateError('a distributed claims request', args?.state);
    const pending = pendingDistributedSources(await this.context.stateDb.getItem('user_info', args.state));
    const source = pending.find((s) => args.source === undefined || s.name === args.source);
    if (!source) throw new ResponseError('sessionClaimSource', 'the session\'s user info names no such distributed claims source');
    // An OP-supplied URL like any other, and the source's access token goes there: https only.
    checkHttps(source.endpoint, this.context.allow.http_links === true, `endpoint of the distributed claims source "${source.name}"`);
    this.#source = source.name;
    const headers: Record<string, string> = { Accept: 'application/jwt' };
    // The OP's own access token is never sent to a claims provider: only the source's token.
    if (source.access_token) headers['Authorization'] = `Bearer ${source.access_token}`;
    return { method: 'GET', url: source.endpoint, headers };
  }

  /** @throws {VerificationError} `checkClaimSource`. */
  protected async verify(message: JsonObject, options: StateOptions): Promise<JsonObject> {
    const name = this.#source ?? 'distributed';
    if (typeof message['jwt'] !== 'string') throw new ResponseError('checkJwtFormat', 'the distributed claims response is not a JWT');
    const payload = await verifyClaimsJwt(message['jwt'], this.context, name);
    const pending = options.state ? pendingDistributedSources(await this.context.stateDb.getItem('user_info', options.state)) : [];
    const wanted = pending.find((s) => s.name === name)?.claims ?? Object.keys(payload);
    return { __source: name, ...Object.fromEntries(wanted.filter((c) => payload[c] !== undefined).map((c) => [c, payload[c]])) };
  }

  /** Merges the claims into the session's `user_info` and drops the source from the pending ones. */
  override async updateServiceContext(response: JsonObject, options: StateOptions = {}): Promise<void> {
    if (typeof options.state !== 'string' || options.state === '') throw missingStateError('storing distributed claims', options.state);
    const { __source, ...claims } = response;
    const userinfo = { ...(await this.context.stateDb.getItem('user_info', options.state)) };
    const names = { ...(userinfo['_claim_names'] as Record<string, string> | undefined) };
    const sources = { ...(userinfo['_claim_sources'] as Record<string, unknown> | undefined) };
    for (const [claim, source] of Object.entries(names)) if (source === __source) delete names[claim];
    delete sources[String(__source)];
    const merged: JsonObject = { ...userinfo, ...claims };
    delete merged['_claim_names'];
    delete merged['_claim_sources'];
    if (Object.keys(sources).length > 0) {
      merged['_claim_names'] = names;
      merged['_claim_sources'] = sources;
    }
    await this.context.stateDb.storeItem(merged, 'user_info', options.state);
  }
}

import { checkDiscoveryIssuer } from '../checks/check-discovery-issuer.js';
import { checkHttps } from '../checks/check-https.js';
import { ResponseError } from '../errors.js';
import { isJwks } from '../key-jar.js';
import type { JsonObject, ProviderInfo } from '../messages.js';
import type { RequestParameters } from '../transport/http.js';
import { Service } from './service.js';

/** Arguments of the discovery request. */
export interface ProviderInfoArgs {
  /** The issuer to discover; default the context's. */
  issuer?: string;
}

/** Metadata OpenID Connect Discovery 1.0, 3 requires of every OP. */
export const REQUIRED_PROVIDER_METADATA = [
  'issuer',
  'authorization_endpoint',
  'jwks_uri',
  'response_types_supported',
  'subject_types_supported',
  'id_token_signing_alg_values_supported',
] as const;

const ENDPOINTS = [
  'authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'registration_endpoint', 'jwks_uri',
  'end_session_endpoint', 'check_session_iframe', 'revocation_endpoint', 'introspection_endpoint',
] as const;

/**
 * Checks that required metadata is present and typed as the specification says.
 * @throws {ResponseError} `checkProviderMetadata` naming the member.
 */
export function checkProviderMetadata(info: JsonObject): void {
  for (const name of REQUIRED_PROVIDER_METADATA) {
    if (info[name] === undefined) throw new ResponseError('checkProviderMetadata', `the discovery document has no ${name}, which is required`, { detail: { member: name } });
  }
  for (const [name, value] of Object.entries(info)) {
    if (!name.endsWith('_supported')) continue;
    const isList = Array.isArray(value) && value.every((v) => typeof v === 'string');
    // Discovery 3: the *_supported members that list values are JSON arrays of strings; the rest are booleans.
    const listValued = /(_values|_types|_modes|_methods|scopes|claims|locales)_supported$/.test(name);
    if (listValued ? !isList : typeof value !== 'boolean' && !isList) {
      throw new ResponseError('checkProviderMetadata', `the discovery document's ${name} is not ${listValued ? 'a list of strings' : 'a boolean'}`, { detail: { member: name } });
    }
  }
  if (info['jwks'] !== undefined && !isJwks(info['jwks'])) {
    throw new ResponseError('checkProviderMetadata', 'the discovery document\'s jwks is not a JWK Set', { detail: { member: 'jwks' } });
  }
  for (const name of ['mtls_endpoint_aliases'] as const) {
    const value = info[name];
    if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string'))) {
      throw new ResponseError('checkProviderMetadata', `the discovery document's ${name} is not an object of URLs`, { detail: { member: name } });
    }
  }
  for (const name of ENDPOINTS) {
    if (info[name] !== undefined && typeof info[name] !== 'string') {
      throw new ResponseError('checkProviderMetadata', `the discovery document's ${name} is not a string`, { detail: { member: name } });
    }
  }
}

/**
 * OpenID Provider discovery: fetches `{issuer}/.well-known/openid-configuration`, checks that
 * its `issuer` is the one asked for, and records the provider info (and, with client preferences,
 * the behaviour matched against it).
 */
export class ProviderInfoDiscovery extends Service<ProviderInfoArgs, ProviderInfo> {
  readonly serviceName = 'provider_info' as const;
  protected readonly what = 'discovery document';
  #expectedIssuer: string | undefined;

  /** @inheritDoc */
  async getRequestParameters(args: ProviderInfoArgs = {}): Promise<RequestParameters> {
    const issuer = args.issuer ?? this.context.requireIssuer();
    checkHttps(issuer, this.context.allow.http_links === true, 'issuer', 'checkIssuerUrl');
    this.#expectedIssuer = issuer;
    return { method: 'GET', url: `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration` };
  }

  /**
   * @throws {VerificationError} `checkDiscoveryIssuer` when the document's issuer is another;
   *   `checkHttps` for http endpoints without `allow.http_links`.
   * @throws {ResponseError} `checkProviderMetadata` for missing or mistyped metadata.
   */
  protected async verify(message: JsonObject): Promise<ProviderInfo> {
    const expected = this.#expectedIssuer ?? this.context.requireIssuer();
    checkDiscoveryIssuer(message, expected, this.context.allow.issuer_mismatch === true);
    checkProviderMetadata(message);
    const allowHttp = this.context.allow.http_links === true;
    checkHttps(message['issuer'] as string, allowHttp, 'issuer');
    // Every URL the RP may fetch or send the user to: the known endpoints, any other *_endpoint,
    // and the mTLS aliases.
    for (const [name, url] of Object.entries(message)) {
      if (typeof url === 'string' && ((ENDPOINTS as readonly string[]).includes(name) || name.endsWith('_endpoint'))) checkHttps(url, allowHttp, name);
    }
    const aliases = message['mtls_endpoint_aliases'];
    if (aliases !== null && typeof aliases === 'object') {
      for (const [name, url] of Object.entries(aliases as Record<string, unknown>)) if (typeof url === 'string') checkHttps(url, allowHttp, `mtls_endpoint_aliases.${name}`);
    }
    return message as ProviderInfo;
  }

  /** Stores the provider info; derives behaviour from client preferences; notes the OP's key set. */
  override async updateServiceContext(response: ProviderInfo): Promise<void> {
    this.context.setProviderInfo(response);
    await this.context.save();
  }
}

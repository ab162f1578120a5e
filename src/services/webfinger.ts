import { checkHttps } from '../checks/check-https.js';
import { describeValue, ResponseError } from '../errors.js';
import type { JsonObject } from '../messages.js';
import type { RequestParameters } from '../transport/http.js';
import { Service, type ResponseFormat } from './service.js';

/** The link relation of an OpenID Connect issuer (OpenID Connect Discovery 1.0, 2). */
export const OIDC_ISSUER_REL = 'http://openid.net/specs/connect/1.0/issuer';

/** Arguments of the WebFinger request. */
export interface WebFingerArgs {
  /** What the user typed: `foobar@example.com`, `acct:...`, `example.com:8080/alice`, a URL. */
  resource: string;
  /** The link relation asked for. Default {@link OIDC_ISSUER_REL}. */
  rel?: string;
}

/** A verified WebFinger answer: the JRD and the issuer found in it. */
export interface WebFingerResponse extends JsonObject {
  subject?: string;
  links: Array<{ rel: string; href?: string }>;
  issuer: string;
}

/**
 * Normalises a user input identifier as OpenID Connect Discovery 1.0, 2.1.2 says: an `acct:` URI
 * for `user@host` forms, an `https:` URL otherwise, without a fragment. Also returns the host to ask.
 * @throws {ResponseError} `webFingerResource` for an input that names no host.
 */
export function normaliseResource(input: string): { resource: string; host: string; scheme: 'https' | 'http' } {
  if (typeof input !== 'string') throw new ResponseError('webFingerResource', 'the user identifier is not text');
  const text = input.trim();
  if (text.length === 0) throw new ResponseError('webFingerResource', 'the user identifier is empty');
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^:/@]+:\d+/.test(text);
  if (text.startsWith('acct:') || (!hasScheme && text.includes('@') && !text.includes('/'))) {
    const acct = text.startsWith('acct:') ? text : `acct:${text}`;
    const host = acct.slice(acct.lastIndexOf('@') + 1);
    let parsedHost: string;
    try {
      parsedHost = new URL(`https://${host}`).host;
    } catch {
      parsedHost = '';
    }
    if (!host || !parsedHost || parsedHost !== host.toLowerCase() || /[/?#@]/.test(host)) {
      throw new ResponseError('webFingerResource', `the identifier ${describeValue(input)} names no usable host`);
    }
    return { resource: acct, host, scheme: 'https' };
  }
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch (cause) {
    throw new ResponseError('webFingerResource', `the identifier ${describeValue(input)} is neither an account nor a URL`, { cause });
  }
  url.hash = '';
  if (!url.host) throw new ResponseError('webFingerResource', `the identifier ${describeValue(input)} names no host`);
  return { resource: url.toString(), host: url.host, scheme: url.protocol === 'http:' ? 'http' : 'https' };
}

/**
 * WebFinger (RFC 7033) issuer discovery: from a user identifier to the OP's issuer.
 * The first step of the oidcservice documentation's conversation: `foobar@example.com` gives
 * `https://example.com/.well-known/webfinger?resource=acct%3Afoobar%40example.com&rel=...`.
 */
export class WebFinger extends Service<WebFingerArgs, WebFingerResponse> {
  readonly serviceName = 'webfinger' as const;
  protected readonly what = 'WebFinger response';
  protected override readonly formats: Readonly<Record<string, ResponseFormat>> = {
    'application/jrd+json': 'json',
    'application/json': 'json',
  };

  /** @inheritDoc */
  async getRequestParameters(args?: WebFingerArgs): Promise<RequestParameters> {
    if (!args?.resource) throw new ResponseError('webFingerResource', 'WebFinger needs the user identifier as resource');
    const { resource, host, scheme } = normaliseResource(args.resource);
    // A WebFinger query goes over https; http only for an http URL identifier and allow.http_links.
    const useScheme = scheme === 'http' && this.context.allow.http_links ? 'http' : 'https';
    const query = new URLSearchParams({ resource, rel: args.rel ?? OIDC_ISSUER_REL });
    return { method: 'GET', url: `${useScheme}://${host}/.well-known/webfinger?${query.toString()}` };
  }

  /**
   * Finds the issuer link. Unknown members are ignored, as RFC 7033 4.4 says.
   * @throws {ResponseError} `checkWebFingerLinks` when there is no issuer link.
   * @throws {VerificationError} `checkWebFingerLink` for an issuer that is not https (unless `allow.http_links`).
   */
  protected async verify(message: JsonObject): Promise<WebFingerResponse> {
    const links = Array.isArray(message['links']) ? message['links'] : [];
    const link = links.find(
      (l): l is { rel: string; href: string } =>
        l !== null && typeof l === 'object' && (l as JsonObject)['rel'] === OIDC_ISSUER_REL && typeof (l as JsonObject)['href'] === 'string',
    );
    if (!link) throw new ResponseError('checkWebFingerLinks', 'the WebFinger response has no OpenID Connect issuer link');
    checkHttps(link.href, this.context.allow.http_links === true, 'issuer link', 'checkWebFingerLink');
    return { ...message, links: links as WebFingerResponse['links'], issuer: link.href };
  }

  /** The issuer found becomes the context's issuer. */
  override async updateServiceContext(response: WebFingerResponse): Promise<void> {
    this.context.issuer = response.issuer;
    await this.context.save();
  }
}

import { encryptJwt, signJwt } from './jose/sign-jwt.js';
import type { JsonObject } from './messages.js';
import { randomToken } from './random.js';
import type { ServiceContext } from './service-context.js';

/** How a request object travels: in the `request` parameter, or published at a `request_uri`. */
export type RequestObjectMethod = 'value' | 'reference';

const REQUEST_OBJECT_PREFIX = '__request_object__';

/**
 * The algorithm to sign with when none is registered: RS256 when the RP has a key for it, else the
 * `alg` of its first signing key, else `none`.
 */
function defaultSigningAlg(context: ServiceContext): string {
  const signing = context.keyJar.exportOwnKeys().filter((k) => k.use !== 'enc' && k.kty !== 'oct');
  if (signing.some((k) => k.kty === 'RSA' && (k.alg === undefined || k.alg === 'RS256'))) return 'RS256';
  return signing.find((k) => typeof k.alg === 'string')?.alg ?? 'none';
}

/**
 * Makes a request object (OpenID Connect Core 6.1) from authorization request parameters: signed
 * with `request_object_signing_alg` (when nothing is registered, RS256 if the RP has a key for it,
 * else the algorithm of its signing key, else `none`), and encrypted to the OP when `request_object_encryption_alg` is registered.
 */
export async function makeRequestObject(context: ServiceContext, params: JsonObject): Promise<string> {
  const registered = context.behaviour.request_object_signing_alg;
  const alg = typeof registered === 'string' ? registered : defaultSigningAlg(context);
  const now = context.now();
  const claims: JsonObject = { ...params, iss: context.requireClientId(), aud: context.requireIssuer(), iat: now, exp: now + 300, jti: randomToken(16) };
  const jws = await signJwt(claims, { alg, keyJar: context.keyJar, clientSecret: context.clientSecret, typ: 'oauth-authz-req+jwt' });
  const encAlg = context.behaviour.request_object_encryption_alg;
  if (typeof encAlg !== 'string') return jws;
  const enc = context.behaviour.request_object_encryption_enc;
  return encryptJwt(jws, {
    alg: encAlg,
    ...(typeof enc === 'string' ? { enc } : {}),
    issuer: context.requireIssuer(),
    keyJar: context.keyJar,
    clientSecret: context.clientSecret,
  });
}

/**
 * Publishes a request object for `request_uri`: it is kept in the state store under a random
 * name, so that any instance of the RP can serve it, for as long as a pending login lives (the OP
 * fetches it during the login), and its URL under `{base_url}/{requests_dir}/` is returned.
 */
export async function publishRequestObject(context: ServiceContext, jwt: string): Promise<string> {
  const name = `${randomToken(18)}.jwt`;
  await context.stateDb.store.set(`${REQUEST_OBJECT_PREFIX}${name}`, jwt, { ttlMs: context.stateDb.pendingLoginLifetime * 1000 });
  return `${context.baseUrl}/${context.requestsDir}/${name}`;
}

/** The request object published at `requestUri`, for the RP's endpoint that serves them; `undefined` if unknown. */
export async function getPublishedRequestObject(context: ServiceContext, requestUri: string): Promise<string | undefined> {
  const prefix = `${context.baseUrl}/${context.requestsDir}/`;
  if (!requestUri.startsWith(prefix)) return undefined;
  const name = requestUri.slice(prefix.length).split(/[?#]/)[0] ?? '';
  if (!/^[A-Za-z0-9_-]+\.jwt$/.test(name)) return undefined;
  return context.stateDb.store.get(`${REQUEST_OBJECT_PREFIX}${name}`);
}

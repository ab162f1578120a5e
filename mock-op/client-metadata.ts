/**
 * Client metadata (OIDC Dynamic Client Registration 1.0 section 2, RFC 7591 section 2): the
 * registered {@link Client} and the validation that turns a registration request into one.
 * Static clients passed to `createMockOp` go through the same validation.
 *
 * @module
 */
import type { JSONWebKeySet } from 'jose';
import {
  GRANT_TYPES_SUPPORTED,
  REQUEST_OBJECT_ENCRYPTION_ALGS_SUPPORTED,
  REQUEST_OBJECT_ENCRYPTION_ENCS_SUPPORTED,
  RESPONSE_ENCRYPTION_ENCS_SUPPORTED,
  VERIFICATION_ALGS_SUPPORTED,
  isResponseEncryptionAlg,
  isResponseEncryptionEnc,
  isSigningAlg,
  isSupportedResponseType,
  isTokenEndpointAuthMethod,
  normalizeResponseType,
} from './capabilities.js';
import type { ResponseEncryptionAlg, ResponseEncryptionEnc, SigningAlg, TokenEndpointAuthMethod } from './capabilities.js';

/** A client registered at the OP. */
export interface Client {
  readonly client_id: string;
  readonly client_secret: string;
  /** Seconds since the epoch. */
  readonly client_id_issued_at: number;
  /** Always 0: the secret does not expire. */
  readonly client_secret_expires_at: number;
  /** Set for dynamically registered clients. */
  readonly registration_access_token?: string;
  /** Set for dynamically registered clients. */
  readonly registration_client_uri?: string;
  readonly redirect_uris: readonly string[];
  readonly post_logout_redirect_uris: readonly string[];
  /** Normalized (see `normalizeResponseType`). */
  readonly response_types: readonly string[];
  readonly grant_types: readonly string[];
  readonly application_type: 'web' | 'native';
  readonly token_endpoint_auth_method: TokenEndpointAuthMethod;
  readonly token_endpoint_auth_signing_alg?: string;
  readonly id_token_signed_response_alg: SigningAlg;
  readonly userinfo_signed_response_alg?: SigningAlg;
  /** JWE `alg` of ID tokens; when set, ID tokens are encrypted (signed first: a nested JWT). */
  readonly id_token_encrypted_response_alg?: ResponseEncryptionAlg;
  /** JWE `enc` of ID tokens; set (default `A128CBC-HS256`) whenever the `alg` is. */
  readonly id_token_encrypted_response_enc?: ResponseEncryptionEnc;
  /** JWE `alg` of UserInfo responses; when set, UserInfo is encrypted (signed first if a signing alg is registered). */
  readonly userinfo_encrypted_response_alg?: ResponseEncryptionAlg;
  /** JWE `enc` of UserInfo responses; set (default `A128CBC-HS256`) whenever the `alg` is. */
  readonly userinfo_encrypted_response_enc?: ResponseEncryptionEnc;
  /** Front-Channel Logout 1.0: the URI the OP loads in an iframe on logout. */
  readonly frontchannel_logout_uri?: string;
  /** Front-Channel Logout 1.0: whether `iss` and `sid` are added to the front-channel logout URI. */
  readonly frontchannel_logout_session_required: boolean;
  /** Back-Channel Logout 1.0: where the OP POSTs logout tokens. */
  readonly backchannel_logout_uri?: string;
  /** Back-Channel Logout 1.0: whether the logout token must carry `sid` (the OP always puts it when it has a session). */
  readonly backchannel_logout_session_required: boolean;
  /** Third-party initiated login (OIDC Core 4): where the OP sends the user to start a login at the RP. */
  readonly initiate_login_uri?: string;
  readonly request_object_signing_alg?: string;
  readonly jwks?: JSONWebKeySet;
  readonly jwks_uri?: string;
  readonly request_uris?: readonly string[];
  /** All metadata as registered with the defaults filled in: what registration responses echo. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** A registration error (OIDC Dynamic Client Registration 3.3). */
export class ClientMetadataError extends Error {
  constructor(
    /** The error code of the registration error response. */
    readonly error: 'invalid_redirect_uri' | 'invalid_client_metadata',
    /** Human-readable description. */
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'ClientMetadataError';
  }
}

/** Client metadata after validation, without the credentials the OP issues. */
export type ValidatedClientMetadata = Omit<
  Client,
  | 'client_id'
  | 'client_secret'
  | 'client_id_issued_at'
  | 'client_secret_expires_at'
  | 'registration_access_token'
  | 'registration_client_uri'
>;

/** The default content encryption of ID tokens and UserInfo when only the `alg` is registered. */
const DEFAULT_RESPONSE_ENC: ResponseEncryptionEnc = RESPONSE_ENCRYPTION_ENCS_SUPPORTED[0];

/**
 * Validates registration metadata and fills in defaults: `response_types` `["code"]`,
 * `grant_types` derived from the response types, `token_endpoint_auth_method`
 * `client_secret_basic`, `id_token_signed_response_alg` `RS256`, `application_type` `web`.
 * Unknown members are kept and echoed. Throws {@link ClientMetadataError}.
 */
export function validateClientMetadata(input: unknown): ValidatedClientMetadata {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ClientMetadataError('invalid_client_metadata', 'the registration request must be a JSON object');
  }
  const raw = input as Record<string, unknown>;
  const metadata: Record<string, unknown> = { ...raw };
  for (const member of ['client_id', 'client_secret', 'registration_access_token', 'registration_client_uri']) {
    delete metadata[member];
  }

  const redirect_uris = urlList(raw.redirect_uris, 'redirect_uris', 'invalid_redirect_uri', true);
  const post_logout_redirect_uris = urlList(
    raw.post_logout_redirect_uris,
    'post_logout_redirect_uris',
    'invalid_client_metadata',
    false,
  );

  const response_types = stringList(raw.response_types, 'response_types') ?? ['code'];
  if (response_types.length === 0) invalid('response_types must not be empty');
  for (const rt of response_types) if (!isSupportedResponseType(rt)) invalid(`unsupported response_type "${rt}"`);
  const normalizedResponseTypes = [...new Set(response_types.map(normalizeResponseType))];

  const grant_types = stringList(raw.grant_types, 'grant_types') ?? defaultGrantTypes(normalizedResponseTypes);
  for (const gt of grant_types) {
    if (!(GRANT_TYPES_SUPPORTED as readonly string[]).includes(gt)) invalid(`unsupported grant_type "${gt}"`);
  }

  const application_type = raw.application_type ?? 'web';
  if (application_type !== 'web' && application_type !== 'native') invalid('application_type must be "web" or "native"');

  const token_endpoint_auth_method = raw.token_endpoint_auth_method ?? 'client_secret_basic';
  if (!isTokenEndpointAuthMethod(token_endpoint_auth_method)) {
    invalid(`unsupported token_endpoint_auth_method "${String(token_endpoint_auth_method)}"`);
  }

  const token_endpoint_auth_signing_alg = optionalAlg(raw.token_endpoint_auth_signing_alg, 'token_endpoint_auth_signing_alg');
  const request_object_signing_alg =
    raw.request_object_signing_alg === 'none'
      ? 'none'
      : optionalAlg(raw.request_object_signing_alg, 'request_object_signing_alg');

  const id_token_signed_response_alg = raw.id_token_signed_response_alg ?? 'RS256';
  if (!isSigningAlg(id_token_signed_response_alg)) {
    invalid(`unsupported id_token_signed_response_alg "${String(id_token_signed_response_alg)}"`);
  }
  const userinfo_signed_response_alg = raw.userinfo_signed_response_alg;
  if (userinfo_signed_response_alg !== undefined && !isSigningAlg(userinfo_signed_response_alg)) {
    invalid(`unsupported userinfo_signed_response_alg "${String(userinfo_signed_response_alg)}"`);
  }

  const idTokenEncryption = encryptionPair(raw, 'id_token');
  const userinfoEncryption = encryptionPair(raw, 'userinfo');
  checkOneOf(raw.request_object_encryption_alg, REQUEST_OBJECT_ENCRYPTION_ALGS_SUPPORTED, 'request_object_encryption_alg');
  checkOneOf(raw.request_object_encryption_enc, REQUEST_OBJECT_ENCRYPTION_ENCS_SUPPORTED, 'request_object_encryption_enc');

  if (raw.subject_type !== undefined && raw.subject_type !== 'public') invalid('only subject_type "public" is supported');

  if (raw.jwks !== undefined && raw.jwks_uri !== undefined) invalid('jwks and jwks_uri must not both be present');
  let jwks: JSONWebKeySet | undefined;
  if (raw.jwks !== undefined) {
    const value = raw.jwks;
    if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys)) {
      invalid('jwks must be a JWK Set ({"keys": [...]})');
    }
    jwks = value as JSONWebKeySet;
  }
  let jwks_uri: string | undefined;
  if (raw.jwks_uri !== undefined) jwks_uri = absoluteUrl(raw.jwks_uri, 'jwks_uri', 'invalid_client_metadata');
  if (token_endpoint_auth_method === 'private_key_jwt' && jwks === undefined && jwks_uri === undefined) {
    invalid('private_key_jwt needs jwks or jwks_uri');
  }

  for (const pair of [idTokenEncryption, userinfoEncryption]) {
    if (pair !== undefined && !pair.alg.startsWith('A') && pair.alg !== 'dir' && jwks === undefined && jwks_uri === undefined) {
      invalid(`encryption with ${pair.alg} needs the client's jwks or jwks_uri`);
    }
  }

  const request_uris =
    raw.request_uris === undefined ? undefined : urlList(raw.request_uris, 'request_uris', 'invalid_client_metadata', false);

  const frontchannel_logout_uri = optionalUrl(raw.frontchannel_logout_uri, 'frontchannel_logout_uri');
  const backchannel_logout_uri = optionalUrl(raw.backchannel_logout_uri, 'backchannel_logout_uri');
  const initiate_login_uri = optionalUrl(raw.initiate_login_uri, 'initiate_login_uri');
  const frontchannel_logout_session_required = optionalBoolean(
    raw.frontchannel_logout_session_required,
    'frontchannel_logout_session_required',
  );
  const backchannel_logout_session_required = optionalBoolean(
    raw.backchannel_logout_session_required,
    'backchannel_logout_session_required',
  );

  Object.assign(metadata, {
    redirect_uris,
    response_types: normalizedResponseTypes,
    grant_types,
    application_type,
    token_endpoint_auth_method,
    id_token_signed_response_alg,
  });
  if (post_logout_redirect_uris.length > 0) metadata.post_logout_redirect_uris = post_logout_redirect_uris;
  if (idTokenEncryption !== undefined) {
    metadata.id_token_encrypted_response_alg = idTokenEncryption.alg;
    metadata.id_token_encrypted_response_enc = idTokenEncryption.enc;
  }
  if (userinfoEncryption !== undefined) {
    metadata.userinfo_encrypted_response_alg = userinfoEncryption.alg;
    metadata.userinfo_encrypted_response_enc = userinfoEncryption.enc;
  }
  if (frontchannel_logout_uri !== undefined) metadata.frontchannel_logout_session_required = frontchannel_logout_session_required;
  if (backchannel_logout_uri !== undefined) metadata.backchannel_logout_session_required = backchannel_logout_session_required;

  return {
    redirect_uris,
    post_logout_redirect_uris,
    response_types: normalizedResponseTypes,
    grant_types,
    application_type,
    token_endpoint_auth_method,
    id_token_signed_response_alg,
    ...(token_endpoint_auth_signing_alg === undefined ? {} : { token_endpoint_auth_signing_alg }),
    ...(userinfo_signed_response_alg === undefined ? {} : { userinfo_signed_response_alg }),
    ...(request_object_signing_alg === undefined ? {} : { request_object_signing_alg }),
    ...(idTokenEncryption === undefined
      ? {}
      : { id_token_encrypted_response_alg: idTokenEncryption.alg, id_token_encrypted_response_enc: idTokenEncryption.enc }),
    ...(userinfoEncryption === undefined
      ? {}
      : { userinfo_encrypted_response_alg: userinfoEncryption.alg, userinfo_encrypted_response_enc: userinfoEncryption.enc }),
    ...(frontchannel_logout_uri === undefined ? {} : { frontchannel_logout_uri }),
    frontchannel_logout_session_required,
    ...(backchannel_logout_uri === undefined ? {} : { backchannel_logout_uri }),
    backchannel_logout_session_required,
    ...(initiate_login_uri === undefined ? {} : { initiate_login_uri }),
    ...(jwks === undefined ? {} : { jwks }),
    ...(jwks_uri === undefined ? {} : { jwks_uri }),
    ...(request_uris === undefined ? {} : { request_uris }),
    metadata,
  };
}

/**
 * The grant types a client gets when it registers none: `authorization_code` for response types
 * with `code`, `implicit` for those with `id_token` or `token`.
 */
export function defaultGrantTypes(responseTypes: readonly string[]): string[] {
  const derived = new Set<string>();
  for (const rt of responseTypes) {
    const words = rt.split(' ');
    if (words.includes('code')) derived.add('authorization_code');
    if (words.includes('id_token') || words.includes('token')) derived.add('implicit');
  }
  return [...derived];
}

function invalid(description: string): never {
  throw new ClientMetadataError('invalid_client_metadata', description);
}

function stringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) invalid(`${name} must be an array of strings`);
  return value as string[];
}

function absoluteUrl(value: unknown, name: string, error: ClientMetadataError['error']): string {
  if (typeof value !== 'string') throw new ClientMetadataError(error, `${name} must be a string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ClientMetadataError(error, `${name}: "${value}" is not an absolute URL`);
  }
  if (value.includes('#') || url.hash !== '') throw new ClientMetadataError(error, `${name}: "${value}" has a fragment`);
  return value;
}

function urlList(value: unknown, name: string, error: ClientMetadataError['error'], required: boolean): string[] {
  if (value === undefined) {
    if (required) throw new ClientMetadataError(error, `${name} is required`);
    return [];
  }
  if (!Array.isArray(value)) throw new ClientMetadataError(error, `${name} must be an array of URLs`);
  if (required && value.length === 0) throw new ClientMetadataError(error, `${name} must not be empty`);
  return value.map((v) => absoluteUrl(v, name, error));
}

function optionalAlg(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  checkOneOf(value, VERIFICATION_ALGS_SUPPORTED, name);
  return value as string;
}

function checkOneOf(value: unknown, allowed: readonly string[], name: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !allowed.includes(value)) invalid(`unsupported ${name} "${String(value)}"`);
}

/**
 * The `<kind>_encrypted_response_alg` / `_enc` pair of a registration: `undefined` when neither is
 * present, the `enc` defaulted to `A128CBC-HS256`; an `enc` without an `alg` is an error.
 */
function encryptionPair(
  raw: Record<string, unknown>,
  kind: 'id_token' | 'userinfo',
): { alg: ResponseEncryptionAlg; enc: ResponseEncryptionEnc } | undefined {
  const alg = raw[`${kind}_encrypted_response_alg`];
  const enc = raw[`${kind}_encrypted_response_enc`];
  if (alg === undefined) {
    if (enc !== undefined) invalid(`${kind}_encrypted_response_enc requires ${kind}_encrypted_response_alg`);
    return undefined;
  }
  if (!isResponseEncryptionAlg(alg)) invalid(`unsupported ${kind}_encrypted_response_alg "${String(alg)}"`);
  if (enc !== undefined && !isResponseEncryptionEnc(enc)) invalid(`unsupported ${kind}_encrypted_response_enc "${String(enc)}"`);
  return { alg, enc: enc ?? DEFAULT_RESPONSE_ENC };
}

function optionalUrl(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  const url = absoluteUrl(value, name, 'invalid_client_metadata');
  if (!/^https?:/i.test(url)) invalid(`${name} must be an http(s) URL`);
  return url;
}

function optionalBoolean(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') invalid(`${name} must be a boolean`);
  return value;
}

/**
 * Typed errors of the RP service layer.
 *
 * Every error carries `check`: the name of the verification or step that failed
 * (`checkIssuer`, `checkNonce`, `transport.timeout`, ...). Messages never contain
 * secrets: client secrets, tokens, codes and keys are left out by construction, so an
 * error can be logged or attached to a report as it is.
 *
 * @module
 */

/** Options common to every {@link OidcError}. */
export interface OidcErrorOptions {
  /** The underlying error, if any. It is not serialised by {@link OidcError.toJSON}. */
  cause?: unknown;
  /** Extra, non-secret detail that helps a reader (expected and actual issuer, HTTP status, ...). */
  detail?: Record<string, unknown>;
}

/**
 * The base class of every error the service layer throws on purpose.
 * Catch this to tell an RP-side verdict from a programming error.
 */
export class OidcError extends Error {
  /** The name of the check that failed, as it appears in reports. */
  readonly check: string;
  /** Non-secret detail about the failure. */
  readonly detail: Record<string, unknown>;

  constructor(check: string, message: string, options: OidcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.check = check;
    this.detail = options.detail ?? {};
  }

  /** A plain-object view for logs and reports: name, check, message and detail. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, check: this.check, message: this.message, detail: this.detail };
  }
}

/** The RP's own configuration is missing, contradictory, or cannot work with this OP. */
export class ConfigurationError extends OidcError {}

/**
 * A request could not be completed: connection refused or reset, a timeout, a response
 * over the size limit, a redirect the policy refused.
 */
export class TransportError extends OidcError {}

/**
 * A response could not be understood: wrong HTTP status, wrong content type, malformed JSON,
 * a JWT that does not parse, a missing required parameter.
 */
export class ResponseError extends OidcError {}

/**
 * The OP answered with an OAuth 2.0 / OpenID Connect error response
 * (`error`, `error_description`, `error_uri`).
 */
export class OPError extends OidcError {
  /** The OP's `error` code. */
  readonly error: string;
  /** The OP's `error_description`, if it sent one. */
  readonly errorDescription: string | undefined;
  /** The OP's `error_uri`, if it sent one. */
  readonly errorUri: string | undefined;

  constructor(
    check: string,
    response: { error: string; error_description?: string | undefined; error_uri?: string | undefined },
    options: OidcErrorOptions = {},
  ) {
    const description = response.error_description ? `: ${response.error_description}` : '';
    super(check, `the OP answered with error "${response.error}"${description}`, {
      ...options,
      detail: { ...options.detail, error: response.error, error_description: response.error_description },
    });
    this.error = response.error;
    this.errorDescription = response.error_description;
    this.errorUri = response.error_uri;
  }
}

/**
 * A response was well formed but failed a verification that the specifications require:
 * a signature, an issuer, an audience, a nonce, a hash, a `state` that belongs to no session.
 */
export class VerificationError extends OidcError {}

/** True when `value` is an {@link OidcError} (or one of its subclasses). */
export function isOidcError(value: unknown): value is OidcError {
  return value instanceof OidcError;
}

/**
 * A short, printable description of an untrusted value for an error message: strings are quoted
 * and cut at 100 characters, anything else is named by its type. Never throws (a value whose
 * `toString` is not a function would make `String(value)` throw).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

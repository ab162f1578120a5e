/**
 * Typed errors of the RP service layer.
 *
 * Every error carries `check`: the name of the verification or step that failed
 * (`checkIssuer`, `checkNonce`, `transportTimeout`, ...), one of the registry's names
 * (`src/checks/registry.ts`), and `clause`, the specification clause that demands it. Messages
 * never contain secrets: client secrets, tokens, codes and keys are left out by construction, so
 * an error can be logged or attached to a report as it is.
 *
 * A caller's misuse of the API (a missing or wrong-typed argument, such as a service call without
 * the `state` of its session) is a `TypeError`, never an {@link OidcError}: a harness bug must not
 * pass for a verdict about the OP.
 *
 * @module
 */
import { clauseOf, type CheckName } from './checks/registry.js';

export type { CheckName } from './checks/registry.js';

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
  /** The name of the check that failed, as it appears in reports: a name of the registry. */
  readonly check: CheckName;
  /** The specification clause that demands the check (from the registry). */
  readonly clause: string;
  /** Non-secret detail about the failure. */
  readonly detail: Record<string, unknown>;

  constructor(check: CheckName, message: string, options: OidcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.check = check;
    this.clause = clauseOf(check);
    this.detail = options.detail ?? {};
  }

  /** A plain-object view for logs and reports: name, check, clause, message and detail. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, check: this.check, clause: this.clause, message: this.message, detail: this.detail };
  }
}

/** Options of a {@link ConfigurationError}. */
export interface ConfigurationErrorOptions extends OidcErrorOptions {
  /** The setting at fault, as a dotted path (`redirect_uris`, `behaviour.token_endpoint_auth_method`). */
  setting?: string;
}

/** The RP's own configuration is missing, contradictory, or cannot work with this OP. */
export class ConfigurationError extends OidcError {
  /** The setting at fault, when one is (the first, when there are several: `detail.problems` lists them all). */
  readonly setting: string | undefined;

  constructor(check: CheckName, message: string, options: ConfigurationErrorOptions = {}) {
    super(check, message, options.setting === undefined ? options : { ...options, detail: { setting: options.setting, ...options.detail } });
    this.setting = options.setting;
  }
}

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
    check: CheckName,
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

/**
 * The RP refused work to stay within its configured bounds: the cap on pending logins was
 * reached, or a value to store in a session is over the size limit. Nothing was stored.
 */
export class CapacityError extends OidcError {}

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

/**
 * The error for a call that lacks the `state` of its session, or gives one that is not a
 * non-empty string: a `TypeError` (a programming error), never an {@link OidcError}, so that a
 * harness bug cannot pass for "the RP refused at checkState".
 * @param what the call, for the message (`the userinfo request`).
 */
export function missingStateError(what: string, state: unknown): TypeError {
  return new TypeError(`${what} needs the state of its session (a non-empty string), got ${describeValue(state)}`);
}

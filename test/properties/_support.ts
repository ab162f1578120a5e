/**
 * Shared machinery of the property-based tests: run counts, the "typed error or correct accept"
 * verdict, and small assertion helpers.
 *
 * Every property here states the same contract: whatever input a parser or verifier gets, it either
 * returns (and what it returns is then checked to be right) or throws an {@link OidcError} with a
 * non-empty `check`. Anything else (TypeError, RangeError, SyntaxError, a jose error leaking out,
 * a promise that never settles) fails the property, and fast-check prints the shrunk input.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { Parameters as FcParameters } from 'fast-check';
import { OidcError } from '../../src/index.js';

/**
 * Multiplies every run count: `PROPERTY_RUNS_SCALE=10` for a long search (a nightly job, say);
 * the default 1 keeps the whole suite near a minute.
 */
const SCALE = Math.max(Number(process.env['PROPERTY_RUNS_SCALE'] ?? 1) || 1, 0.01);
export const scaled = (runs: number): number => Math.max(1, Math.round(runs * SCALE));

/** Runs per property for every parser (JSON, shape and header level). */
export const RUNS = scaled(10_000);
/**
 * Runs for properties that must do real public-key crypto on most runs (RSA/EC signature
 * verification or decryption that cannot be replaced by HMAC); the issue allows at least 1,000.
 */
export const CRYPTO_RUNS = scaled(2_000);
/**
 * Runs for the claims-level properties of the verifiers (verifyIdToken, verifyLogoutToken,
 * handleBackChannelLogout) whose every run checks a signature through jose: an HMAC through
 * WebCrypto costs about 0.3 ms of wall time per token, most of it waiting on the crypto thread
 * pool. The claim checks sit behind the signature, so the cheapest key (the client secret) is
 * used, but the verification itself cannot be skipped. The shape and header levels of the same
 * verifiers have their own 10,000-run properties.
 */
export const SIGNED_RUNS = scaled(3_000);
/**
 * Runs for a second, targeted property about a parser that already has its 10,000-run property
 * (alg none from the authorization endpoint, say).
 */
export const TARGETED_RUNS = scaled(3_000);
/** The node:test timeout of one property (all its runs and its shrinking). */
export const TEST_TIMEOUT = Math.max(60_000, scaled(60_000));
/** The fast-check timeout of one asynchronous run: a parser that never settles fails here. */
export const RUN_TIMEOUT = 5_000;

/** fast-check parameters of an asynchronous property (the failing run's error goes into the report). */
export function params(numRuns = RUNS, extra: FcParameters<unknown> = {}): FcParameters<unknown> {
  return { numRuns, timeout: RUN_TIMEOUT, includeErrorInReport: true, ...extra };
}

/** fast-check parameters of a synchronous property. */
export function syncParams(numRuns = RUNS, extra: FcParameters<unknown> = {}): FcParameters<unknown> {
  return { numRuns, includeErrorInReport: true, ...extra };
}

/** How an input ended: accepted with a value, or refused with a typed error. */
export type Outcome<T> = { accepted: true; value: T } | { accepted: false; error: OidcError };

/** A one-line description of an error, with the first stack frame in src/. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown non-error: ${inspect(error, { depth: 1 })}`;
  const frame = error.stack?.split('\n').find((line) => line.includes('/src/')) ?? error.stack?.split('\n')[1] ?? '';
  return `${error.constructor.name}: ${error.message.slice(0, 300)} [${frame.trim()}]`;
}

function verdict<T>(error: unknown): Outcome<T> {
  if (error instanceof OidcError) {
    if (typeof error.check !== 'string' || error.check.length === 0) assert.fail(`a typed error without a check: ${describeError(error)}`);
    return { accepted: false, error };
  }
  throw new assert.AssertionError({ message: `untyped exception instead of an OidcError: ${describeError(error)}`, actual: error, expected: 'OidcError', operator: 'instanceof' });
}

/** Runs an asynchronous parser: accept or typed refusal; any other exception fails the property. */
export async function settle<T>(run: () => Promise<T> | T): Promise<Outcome<T>> {
  let value: T;
  try {
    value = await run();
  } catch (error) {
    return verdict<T>(error);
  }
  return { accepted: true, value };
}

/**
 * Like {@link settle}, for a call whose caller may have left out the `state` of its session: that
 * is the caller's mistake, not the input's, and the answer to it is a `TypeError` naming the
 * missing state (never an {@link OidcError}, which would read as a verdict about the OP). Gives
 * `'caller misuse'` for that TypeError; any other exception is judged as by {@link settle}.
 */
export async function settleOrMisuse<T>(run: () => Promise<T> | T): Promise<Outcome<T> | 'caller misuse'> {
  let value: T;
  try {
    value = await run();
  } catch (error) {
    if (error instanceof TypeError && /needs the state of its session/.test(error.message)) return 'caller misuse';
    return verdict<T>(error);
  }
  return { accepted: true, value };
}

/** The synchronous twin of {@link settle}. */
export function settleSync<T>(run: () => T): Outcome<T> {
  let value: T;
  try {
    value = run();
  } catch (error) {
    return verdict<T>(error);
  }
  return { accepted: true, value };
}

/** Asserts a refusal, optionally with one of the given checks. */
export function assertRefused<T>(outcome: Outcome<T>, why: string, checks?: readonly string[]): OidcError {
  if (outcome.accepted) {
    throw new assert.AssertionError({ message: `accepted, but must be refused: ${why}`, actual: outcome.value, expected: 'a typed refusal', operator: 'refuse' });
  }
  if (checks) assert.ok(checks.includes(outcome.error.check), `${why}: refused with ${outcome.error.check}, expected one of ${checks.join(', ')} (${outcome.error.message})`);
  return outcome.error;
}

/** A plain (non-array, non-null) object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Counts accepts so that a property can show its accept path was exercised: a generator so
 * hostile that nothing is ever accepted would test only half of "typed error or correct accept".
 */
export class Tally {
  accepted = 0;
  refused = 0;
  readonly checks = new Map<string, number>();

  note<T>(outcome: Outcome<T>): Outcome<T> {
    if (outcome.accepted) this.accepted++;
    else {
      this.refused++;
      this.checks.set(outcome.error.check, (this.checks.get(outcome.error.check) ?? 0) + 1);
    }
    return outcome;
  }

  /** Asserts at least `min` accepts (scaled with the run counts; only meaningful when the property itself passed). */
  expectAccepts(min: number): void {
    const top = [...this.checks].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([c, n]) => `${c} ${n}`).join(', ');
    assert.ok(this.accepted >= scaled(min), `only ${this.accepted} accepts (refusals: ${top}): the generator no longer reaches the accept path`);
    if (process.env['PROPERTY_TALLY']) console.log(`accepted ${this.accepted}, refused ${this.refused}: ${top}`);
  }
}

/** True when `needle` occurs in any string (member name or value) inside `value`; iterative, so deep values are fine. */
export function containsText(value: unknown, needle: string): boolean {
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes(needle)) return true;
    } else if (v !== null && typeof v === 'object' && !seen.has(v)) {
      seen.add(v);
      for (const [k, member] of Object.entries(v)) {
        if (k.includes(needle)) return true;
        stack.push(member);
      }
    }
  }
  return false;
}

/** Deep equality of JSON values without recursion (deeply nested values are fine). */
export function sameJson(a: unknown, b: unknown): boolean {
  const stack: Array<[unknown, unknown]> = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') {
      if (typeof x === 'number' && typeof y === 'number' && Number.isNaN(x) && Number.isNaN(y)) continue;
      return false;
    }
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    if (kx.length !== ky.length) return false;
    for (const k of kx) {
      if (!Object.hasOwn(y, k)) return false;
      stack.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]]);
    }
  }
  return true;
}

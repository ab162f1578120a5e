/** The error a browser login throws: which step failed, in words a person can act on. */

/** The steps of a browser login, as named in error messages. */
export type LoginStep =
  | 'authorization request'
  | 'login page did not appear'
  | 'login form'
  | 'login rejected'
  | 'consent'
  | 'redirect back to the RP';

/**
 * A failed step of a browser login. The message starts with the step and never contains the
 * password (callers redact it; see ./redact-secret.ts).
 */
export class LoginStepError extends Error {
  /** The step that failed. */
  readonly step: LoginStep;

  /**
   * @param step the failed step
   * @param detail what was seen (no secrets, no query strings)
   */
  constructor(step: LoginStep, detail: string) {
    super(`${step}: ${detail}`);
    this.name = 'LoginStepError';
    this.step = step;
  }
}

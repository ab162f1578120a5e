/** The error a browser login or logout throws: which stage failed, in words a person can act on. */

/** The stages of a browser login or logout, as named in error messages. */
export type LoginStage =
  | 'authorization request'
  | 'login step'
  | 'optional step'
  | 'login rejected'
  | 'redirect back to the RP'
  | 'logout';

/**
 * A failed stage of a browser login or logout. The message starts with the stage and never
 * contains a typed value (callers redact them with redactError of src/transport/redact.ts).
 */
export class LoginStepError extends Error {
  /** The stage that failed. */
  readonly stage: LoginStage;

  /**
   * @param stage the failed stage
   * @param detail what was seen (no secrets, no query strings)
   */
  constructor(stage: LoginStage, detail: string) {
    super(`${stage}: ${detail}`);
    this.name = 'LoginStepError';
    this.stage = stage;
  }
}

/** Keeping a secret (a test user's password) out of errors that leave a browser login. */

const REDACTED = '[redacted]';

/**
 * Returns an Error whose message and stack no longer contain `secret` (nor its URL-encoded form).
 * The original is returned when it contains neither; a non-Error value becomes an Error.
 * The result keeps the original's name and, for a LoginStepError, its class and step.
 */
export function redactSecret(error: unknown, secret: string): Error {
  const asError = error instanceof Error ? error : new Error(String(error));
  if (secret === '') return asError;
  const forms = [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
  const scrub = (text: string): string => forms.reduce((acc, form) => acc.split(form).join(REDACTED), text);
  const leaks = (text: string | undefined): boolean => text !== undefined && forms.some((form) => text.includes(form));
  if (!leaks(asError.message) && !leaks(asError.stack)) return asError;
  asError.message = scrub(asError.message);
  if (asError.stack !== undefined) asError.stack = scrub(asError.stack);
  return asError;
}

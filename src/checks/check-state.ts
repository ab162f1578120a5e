import { VerificationError } from '../errors.js';
import type { StateDatabase } from '../state/state-database.js';

/**
 * The `state` of a response must be present and belong to a live session this RP started
 * (RFC 6749 10.12, OpenID Connect Core 3.1.2.7).
 * @throws {VerificationError} `checkState` for no state or one of no session;
 *   `checkStateExpiry` for the state of a login or session that has expired.
 */
export async function checkState(response: Record<string, unknown>, states: StateDatabase): Promise<string> {
  const state = response['state'];
  if (typeof state !== 'string' || state.length === 0) {
    throw new VerificationError('checkState', 'the response has no state parameter');
  }
  try {
    await states.getState(state);
  } catch (error) {
    if (error instanceof VerificationError && error.check === 'checkState') {
      throw new VerificationError('checkState', 'the response\'s state belongs to no session of this RP');
    }
    throw error;
  }
  return state;
}

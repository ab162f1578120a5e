import { OidcError, ResponseError } from '../errors.js';
import type { ServiceContext } from '../service-context.js';
import { mediaType } from '../services/service.js';
import { verifyLogoutToken } from './verify-logout-token.js';
import { sessionsOf } from './sessions-of.js';

/** The outcome of a back-channel logout request, ready to answer the OP with. */
export interface BackChannelLogoutResult {
  /** 200 when the token was good (sessions ended), 400 otherwise (Back-Channel Logout 1.0, 2.8). */
  status: 200 | 400;
  /** The sessions (`state` values) ended. */
  endedSessions: string[];
  /** Why the token was refused, when it was. */
  error?: OidcError;
}

/**
 * Handles the OP's back-channel logout POST: reads `logout_token` from the form body, verifies it,
 * and ends every session of the `sid` (or, without one, of the `sub`). A bad token ends nothing.
 */
export async function handleBackChannelLogout(context: ServiceContext, body: string, contentType: string | undefined): Promise<BackChannelLogoutResult> {
  try {
    if (mediaType(contentType) !== 'application/x-www-form-urlencoded') {
      throw new ResponseError('checkLogoutToken', 'a back-channel logout request must be application/x-www-form-urlencoded');
    }
    const params = new URLSearchParams(body);
    const tokens = params.getAll('logout_token');
    if (tokens.length !== 1 || !tokens[0]) throw new ResponseError('checkLogoutToken', 'the request carries no single logout_token');
    const claims = await verifyLogoutToken(tokens[0], context);
    const states = await sessionsOf(context, claims.sid, claims.sub);
    for (const state of states) await context.stateDb.removeState(state);
    return { status: 200, endedSessions: states };
  } catch (error) {
    if (error instanceof OidcError) return { status: 400, endedSessions: [], error };
    throw error;
  }
}

import { VerificationError, OidcError } from '../errors.js';
import type { ServiceContext } from '../service-context.js';
import { sessionsOf } from './sessions-of.js';

/** The outcome of a front-channel logout request. */
export interface FrontChannelLogoutResult {
  /** 200 when the request was accepted, 400 when its `iss` or `sid` was wrong. */
  status: 200 | 400;
  /** The sessions (`state` values) ended. */
  endedSessions: string[];
  /** Why it was refused, when it was. */
  error?: OidcError;
}

/**
 * Handles the OP's front-channel logout (OpenID Connect Front-Channel Logout 1.0, 2 and 4): the
 * `iss` and `sid` query parameters, when the RP registered `frontchannel_logout_session_required`,
 * must be present; `iss` must be the OP's. The session of `sid` ends.
 */
export async function handleFrontChannelLogout(context: ServiceContext, query: URLSearchParams): Promise<FrontChannelLogoutResult> {
  try {
    const iss = query.get('iss') ?? undefined;
    const sid = query.get('sid') ?? undefined;
    const required = context.behaviour['frontchannel_logout_session_required'] === true;
    if (required && (iss === undefined || sid === undefined)) {
      throw new VerificationError('checkFrontChannelLogout', 'the front-channel logout request lacks iss or sid, which the RP registered as required');
    }
    if (iss !== undefined && iss !== context.requireIssuer()) {
      throw new VerificationError('checkIssuer', `the front-channel logout request's iss "${iss}" is not the OP's issuer`, { detail: { actual: iss } });
    }
    const states = await sessionsOf(context, sid, undefined);
    for (const state of states) await context.stateDb.removeState(state);
    return { status: 200, endedSessions: states };
  } catch (error) {
    if (error instanceof OidcError) return { status: 400, endedSessions: [], error };
    throw error;
  }
}

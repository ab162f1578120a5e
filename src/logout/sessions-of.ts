import type { ServiceContext } from '../service-context.js';

/**
 * The sessions a logout names: the one of the OP session `sid` when given (and, when `sub` is
 * given too, only if it is that user's), else every session of the user `sub`.
 */
export async function sessionsOf(context: ServiceContext, sid: string | undefined, sub: string | undefined): Promise<string[]> {
  const db = context.stateDb;
  if (sid !== undefined) {
    const state = await db.getStateBySid(sid);
    if (state === undefined || !(await db.hasState(state))) return [];
    if (sub !== undefined) {
      const session = await db.getState(state);
      const claims = (session.token_response?.['verified_id_token'] ?? session.auth_response?.['verified_id_token']) as Record<string, unknown> | undefined;
      if (claims?.['sub'] !== sub) return [];
    }
    return [state];
  }
  if (sub !== undefined) {
    const states: string[] = [];
    for (const state of await db.getStatesBySub(sub)) if (await db.hasState(state)) states.push(state);
    return states;
  }
  return [];
}

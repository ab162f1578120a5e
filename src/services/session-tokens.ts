import type { JsonObject } from '../messages.js';
import type { StateDatabase } from '../state/state-database.js';

/** The newest token-bearing responses of a session: refresh, then token, then authorization. */
async function newest(stateDb: StateDatabase, state: string): Promise<JsonObject[]> {
  const session = await stateDb.getState(state);
  return [session.refresh_token_response, session.token_response, session.auth_response].filter((r): r is JsonObject => r !== undefined);
}

/** The session's current access token (from a refresh, the token endpoint or an implicit response). */
export async function currentAccessToken(stateDb: StateDatabase, state: string): Promise<string | undefined> {
  for (const response of await newest(stateDb, state)) if (typeof response['access_token'] === 'string') return response['access_token'];
  return undefined;
}

/** The session's current refresh token. */
export async function currentRefreshToken(stateDb: StateDatabase, state: string): Promise<string | undefined> {
  for (const response of await newest(stateDb, state)) if (typeof response['refresh_token'] === 'string') return response['refresh_token'];
  return undefined;
}

/** The session's first verified ID token claims (the authentication), and its raw ID token. */
export async function sessionIdToken(stateDb: StateDatabase, state: string): Promise<{ claims?: JsonObject; raw?: string }> {
  const session = await stateDb.getState(state);
  for (const response of [session.auth_response, session.token_response, session.refresh_token_response]) {
    const claims = response?.['verified_id_token'];
    if (claims && typeof claims === 'object') {
      const raw = response?.['id_token'];
      return { claims: claims as JsonObject, ...(typeof raw === 'string' ? { raw } : {}) };
    }
  }
  return {};
}

/** The session's newest raw ID token (for `id_token_hint`). */
export async function latestIdToken(stateDb: StateDatabase, state: string): Promise<string | undefined> {
  for (const response of await newest(stateDb, state)) if (typeof response['id_token'] === 'string') return response['id_token'];
  return undefined;
}

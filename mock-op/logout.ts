/**
 * Ending the OP session and telling the clients: OpenID Connect Back-Channel Logout 1.0 (a logout
 * token POSTed to each client's `backchannel_logout_uri` with the global `fetch`) and Front-Channel
 * Logout 1.0 (each client's `frontchannel_logout_uri`, with `iss` and `sid` when the client asked
 * for them, to be loaded in iframes by the end_session page).
 *
 * @module
 */
import type { JsonObject, JwtHeader, LogoutTokenContext } from './behaviour.js';
import { LIFETIMES } from './capabilities.js';
import type { Client } from './client-metadata.js';
import { defaultJwtHeader, signJwtAs } from './jwt-signing.js';
import type { Provider, Session } from './provider.js';
import { randomToken } from './random.js';
import { subjectFor } from './users.js';

/** The event a back-channel logout token carries (Back-Channel Logout 1.0, 2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** The `typ` header of logout tokens (Back-Channel Logout 1.0, 2.4). */
export const LOGOUT_TOKEN_TYPE = 'logout+jwt';

/** How long the OP waits for an RP's back-channel logout endpoint, in milliseconds. */
export const BACKCHANNEL_TIMEOUT_MS = 5000;

/** One back-channel logout POST and what the RP answered. */
export interface BackchannelLogoutDelivery {
  /** The client notified. */
  readonly clientId: string;
  /** Its `backchannel_logout_uri`. */
  readonly uri: string;
  /** The logout token sent (`logout_token` form parameter). */
  readonly logoutToken: string;
  /** What triggered it. */
  readonly trigger: LogoutTokenContext['trigger'];
  /** When it was sent. */
  readonly time: Date;
  /** The RP's HTTP status; absent when the request failed (see `error`). */
  readonly status?: number;
  /** The RP's response body (first 2000 characters). */
  readonly responseBody?: string;
  /** Why the request failed (network error, timeout). */
  readonly error?: string;
}

/** One session ended by logout and the notifications sent for it. */
export interface LogoutRecord {
  /** The session that ended (absent when there was none). */
  readonly sid?: string;
  /** Its user's subject. */
  readonly sub?: string;
  /** What ended it. */
  readonly trigger: LogoutTokenContext['trigger'];
  /** When. */
  readonly time: Date;
  /** The clients notified (those of the session, plus the `id_token_hint`'s audience). */
  readonly clientIds: readonly string[];
  /** The front-channel logout URIs to load, one per client that registered one. */
  readonly frontchannelUris: readonly string[];
  /** The back-channel deliveries, one per client that registered a `backchannel_logout_uri`. */
  readonly backchannel: readonly BackchannelLogoutDelivery[];
}

/**
 * The well-behaved claims of a logout token for `client`: iss, aud (the client id), iat, exp
 * (iat + 120 s), jti, events, sub (the session's user, else the OP's first user) and sid (when
 * there is a session). Never a nonce.
 */
export function logoutTokenClaims(op: Provider, client: Client, session: Session | undefined): JsonObject {
  const now = op.now();
  const claims: JsonObject = {
    iss: op.issuer,
    aud: client.client_id,
    iat: now,
    exp: now + LIFETIMES.logoutToken,
    jti: randomToken(16),
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    sub: subjectFor(session?.user ?? op.users[0]!),
  };
  if (session !== undefined) claims.sid = session.sid;
  return claims;
}

/**
 * A logout token for `client`: the claims and header (`typ: logout+jwt`, RS256 with the kid)
 * through the `logoutTokenClaims` and `logoutTokenHeader` hooks, then signed as the header says.
 */
export async function issueLogoutToken(op: Provider, client: Client, session: Session | undefined, ctx: LogoutTokenContext): Promise<string> {
  const claims = await op.behaviour.logoutTokenClaims(logoutTokenClaims(op, client, session), ctx);
  const header: JwtHeader = await op.behaviour.logoutTokenHeader(defaultJwtHeader('RS256', op.keys, LOGOUT_TOKEN_TYPE), ctx);
  return signJwtAs(header, claims, op.keys, client);
}

/**
 * POSTs a logout token (`application/x-www-form-urlencoded`, `logout_token=...`) to the client's
 * `backchannel_logout_uri` with the global `fetch`, waits for the answer (5 s at most) and records
 * the delivery in `op.backchannelDeliveries`. Throws when the client registered no URI.
 */
export async function sendBackchannelLogout(
  op: Provider,
  client: Client,
  session: Session | undefined,
  trigger: LogoutTokenContext['trigger'],
): Promise<BackchannelLogoutDelivery> {
  const uri = client.backchannel_logout_uri;
  if (uri === undefined) throw new Error(`client ${client.client_id} registered no backchannel_logout_uri`);
  const logoutToken = await issueLogoutToken(op, client, session, { op, client, trigger });
  const base = { clientId: client.client_id, uri, logoutToken, trigger, time: op.currentDate() };
  let delivery: BackchannelLogoutDelivery;
  try {
    const response = await fetch(uri, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ logout_token: logoutToken }).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(BACKCHANNEL_TIMEOUT_MS),
    });
    const text = await response.text();
    delivery = { ...base, status: response.status, responseBody: text.slice(0, 2000) };
  } catch (error) {
    delivery = { ...base, error: String(error) };
  }
  op.backchannelDeliveries.push(delivery);
  return delivery;
}

/**
 * The front-channel logout URI of each client of `session` that registered one, with `iss` and
 * `sid` added when the client registered `frontchannel_logout_session_required` (and there is a
 * session). Extra clients (e.g. the `id_token_hint`'s audience) can be passed in `extraClientIds`.
 */
export function frontchannelLogoutUris(op: Provider, session: Session | undefined, extraClientIds: readonly string[] = []): string[] {
  const uris: string[] = [];
  for (const clientId of new Set([...(session?.clients ?? []), ...extraClientIds])) {
    const client = op.clients.get(clientId);
    if (client?.frontchannel_logout_uri === undefined) continue;
    const url = new URL(client.frontchannel_logout_uri);
    if (client.frontchannel_logout_session_required && session !== undefined) {
      url.searchParams.append('iss', op.issuer);
      url.searchParams.append('sid', session.sid);
    }
    uris.push(url.href);
  }
  return uris;
}

/**
 * Ends the current session and notifies its clients (plus `clientId`, if given): front-channel
 * URIs computed, back-channel logout tokens POSTed in parallel and awaited. The record is appended
 * to `op.logouts` and returned. With no current session nobody is notified.
 */
export async function endSession(
  op: Provider,
  options: { trigger: LogoutTokenContext['trigger']; clientId?: string },
): Promise<LogoutRecord> {
  const session = op.logout();
  const clientIds =
    session === undefined ? [] : [...new Set([...session.clients, ...(options.clientId === undefined ? [] : [options.clientId])])];
  const frontchannelUris = session === undefined ? [] : frontchannelLogoutUris(op, session, clientIds);
  const backchannel = await Promise.all(
    clientIds
      .map((id) => op.clients.get(id))
      .filter((client): client is Client => client?.backchannel_logout_uri !== undefined)
      .map((client) => sendBackchannelLogout(op, client, session, options.trigger)),
  );
  const record: LogoutRecord = {
    ...(session === undefined ? {} : { sid: session.sid, sub: subjectFor(session.user) }),
    trigger: options.trigger,
    time: op.currentDate(),
    clientIds,
    frontchannelUris,
    backchannel,
  };
  op.logouts.push(record);
  return record;
}

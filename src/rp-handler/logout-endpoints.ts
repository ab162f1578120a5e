import { OidcError } from '../errors.js';
import { handleBackChannelLogout } from '../logout/backchannel-logout.js';
import { handleFrontChannelLogout } from '../logout/frontchannel-logout.js';
import type { RelyingParty } from '../relying-party.js';
import type { RpEvent } from './events.js';
import { failure, html, json } from './responses.js';

/**
 * The back-channel logout URI: HTTP 200 for a good logout token (its sessions end), 400 with an
 * error naming the failed check for a bad one (Back-Channel Logout 1.0, 2.8).
 */
export async function backChannelLogoutEndpoint(rp: RelyingParty, request: Request, emit: (event: RpEvent) => void): Promise<Response> {
  if (request.method !== 'POST') return json({ error: 'method_not_allowed' }, 405);
  const result = await handleBackChannelLogout(rp.context, await request.text(), request.headers.get('content-type') ?? undefined);
  emit({ type: 'backchannel-logout', status: result.status, endedSessions: result.endedSessions, error: result.error });
  if (result.error) return json({ error: 'invalid_request', error_description: result.error.message, check: result.error.check }, 400);
  return new Response(null, { status: 200, headers: { 'Cache-Control': 'no-store' } });
}

/** The front-channel logout URI, loaded by the OP's logout page in an iframe. */
export async function frontChannelLogoutEndpoint(rp: RelyingParty, request: Request, emit: (event: RpEvent) => void): Promise<Response> {
  const result = await handleFrontChannelLogout(rp.context, new URL(request.url).searchParams);
  emit({ type: 'frontchannel-logout', status: result.status, endedSessions: result.endedSessions, error: result.error });
  if (result.error) return failure(result.error);
  return html('<!doctype html><html><body>Logged out.</body></html>');
}

/** The post-logout redirect URI: checks the logout `state` and ends the session it names. */
export async function postLogoutEndpoint(rp: RelyingParty, request: Request, emit: (event: RpEvent) => void): Promise<Response> {
  try {
    const service = rp.services.end_session;
    const response = await service.parseResponse(new URL(request.url).search);
    await service.updateServiceContext(response);
    emit({ type: 'post-logout', session: response.session });
    return html('<!doctype html><html><body>You are logged out.</body></html>');
  } catch (error) {
    if (error instanceof OidcError) emit({ type: 'post-logout', error });
    return failure(error);
  }
}

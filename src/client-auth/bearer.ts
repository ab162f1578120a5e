import type { AuthenticatedRequest } from './client-auth.js';

/** Where an access token goes in a request to a protected resource (RFC 6750). */
export type BearerPlacement = 'bearer_header' | 'bearer_body';

/**
 * Adds an access token to a protected-resource request: in the `Authorization` header
 * (`bearer_header`, RFC 6750 2.1) or as a form parameter (`bearer_body`, RFC 6750 2.2).
 */
export function applyBearer(placement: BearerPlacement, request: AuthenticatedRequest, accessToken: string): void {
  if (placement === 'bearer_body') request.body.set('access_token', accessToken);
  else request.headers['Authorization'] = `Bearer ${accessToken}`;
}

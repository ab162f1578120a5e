/**
 * The shape of an endpoint: a plain function from a Fetch API `Request` to a `Response`, over the
 * OP's state. The same functions serve MSW handlers and, later, a real `node:http` server.
 *
 * @module
 */
import type { HookContext } from './behaviour.js';
import type { Client } from './client-metadata.js';
import type { EndpointName } from './endpoint-paths.js';
import type { Provider } from './provider.js';

/** An endpoint of the OP. It may read the request body; it never throws for a bad request. */
export type Endpoint = (request: Request, op: Provider) => Promise<Response>;

/** The hook context for a request at an endpoint, with the client once known. */
export function hookContext(op: Provider, request: Request, endpoint: EndpointName, client?: Client): HookContext {
  return client === undefined ? { op, request, endpoint } : { op, request, endpoint, client };
}

import type { JsonObject } from './messages.js';
import type { Service, StateOptions } from './services/service.js';
import { checkPublicAddress } from './transport/address-guard.js';
import type { HttpClient } from './transport/transport.js';

/**
 * One whole step of a conversation: the service builds the request, the address guard checks
 * where it goes (`checkPublicAddress`, as the context's configuration allows), the transport
 * sends it, the service parses and verifies the answer and records it. If any part fails,
 * nothing is recorded.
 * @returns the verified response.
 */
export async function serviceRequest<Args extends object, Res extends JsonObject>(
  service: Service<Args, Res>,
  client: HttpClient,
  args?: Args,
  options: StateOptions = {},
): Promise<Res> {
  const request = await service.getRequestParameters(args);
  await checkPublicAddress(request.url, service.context.addressPolicy, `${service.serviceName} request`);
  const response = await client.send(request);
  const parsed = await service.parseResponse(response, options);
  await service.updateServiceContext(parsed, options);
  return parsed;
}

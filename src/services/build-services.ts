import { ConfigurationError } from '../errors.js';
import type { ServiceContext } from '../service-context.js';
import type { ServiceConfig } from './service.js';
import { AccessToken } from './access-token.js';
import { Authorization } from './authorization.js';
import { CheckID } from './check-id.js';
import { CheckSession } from './check-session.js';
import { DistributedClaims } from './distributed-claims.js';
import { EndSession } from './end-session.js';
import { ProviderInfoDiscovery } from './provider-info-discovery.js';
import { RefreshAccessToken } from './refresh-access-token.js';
import { Registration } from './registration.js';
import { RegistrationRead } from './registration-read.js';
import { UserInfo } from './userinfo.js';
import { WebFinger } from './webfinger.js';

/** The service classes by the names the oidcservice documentation gives them (`WebFinger`, `ProviderInfoDiscovery`, ...). */
export const SERVICE_CLASSES = {
  WebFinger,
  ProviderInfoDiscovery,
  Registration,
  RegistrationRead,
  Authorization,
  AccessToken,
  RefreshAccessToken,
  UserInfo,
  EndSession,
  CheckSession,
  CheckID,
  DistributedClaims,
} as const;

/** A service specification as in the oidcservice documentation: class names, each with its configuration. */
export type ServiceSpec = Partial<Record<keyof typeof SERVICE_CLASSES, ServiceConfig>>;

/** Every service, keyed as {@link buildServices} returns them. */
export interface Services {
  webfinger: WebFinger;
  provider_info: ProviderInfoDiscovery;
  registration: Registration;
  registration_read: RegistrationRead;
  authorization: Authorization;
  accesstoken: AccessToken;
  refresh_token: RefreshAccessToken;
  userinfo: UserInfo;
  end_session: EndSession;
  check_session: CheckSession;
  check_id: CheckID;
  distributed_claims: DistributedClaims;
}

/** The service name each class is keyed under. */
export interface ServiceKeys {
  WebFinger: 'webfinger';
  ProviderInfoDiscovery: 'provider_info';
  Registration: 'registration';
  RegistrationRead: 'registration_read';
  Authorization: 'authorization';
  AccessToken: 'accesstoken';
  RefreshAccessToken: 'refresh_token';
  UserInfo: 'userinfo';
  EndSession: 'end_session';
  CheckSession: 'check_session';
  CheckID: 'check_id';
  DistributedClaims: 'distributed_claims';
}

/** The services a specification `S` gives, keyed by service name. */
export type BuiltServices<S extends ServiceSpec> = {
  [K in keyof S & keyof ServiceKeys as ServiceKeys[K]]: InstanceType<(typeof SERVICE_CLASSES)[K]>;
};

/** Every service class name of the oidcservice documentation, for a specification that wants them all. */
export const ALL_SERVICES = Object.fromEntries(Object.keys(SERVICE_CLASSES).map((name) => [name, {}])) as Required<ServiceSpec>;

/**
 * Builds the services a specification names, keyed by service name as in the oidcservice documentation:
 * `{ WebFinger: {}, ProviderInfoDiscovery: {}, ... }` gives `{ webfinger, provider_info, ... }`.
 * Unknown names are a configuration error.
 * @throws {ConfigurationError} `buildServices` naming the unknown service.
 */
export function buildServices<S extends ServiceSpec>(spec: S, context: ServiceContext): BuiltServices<S> {
  const services: Partial<Record<keyof Services, unknown>> = {};
  for (const name of Object.keys(spec)) {
    const ServiceClass = SERVICE_CLASSES[name as keyof typeof SERVICE_CLASSES];
    if (!ServiceClass) {
      throw new ConfigurationError('buildServices', `unknown service "${name}"; known: ${Object.keys(SERVICE_CLASSES).join(', ')}`);
    }
    const service = new ServiceClass(context, spec[name as keyof ServiceSpec] ?? {});
    services[service.serviceName] = service;
  }
  return services as BuiltServices<S>;
}

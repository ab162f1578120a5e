import type { ClientMetadata, RpHandler } from '../../../src/index.js';
import type { ConformanceTest, LoggedRequest, Provider } from '../../../mock-op/index.js';

/** A statically registered client: what the RP is configured with. */
export interface StaticClientConfig {
  client_id: string;
  client_secret?: string;
  behaviour: ClientMetadata;
}

/**
 * The OP a scenario talks to, and everything that differs with it: where the RP's endpoints are
 * served, which browser plays the user, what the OP side can tell. The mock OP (in-process, a
 * simulated browser), a local oidc-provider and a live provider (both with real Chromium) are
 * targets; the step definitions are the same for all.
 */
export interface OpTarget {
  /** `mock`, `local` or `live`. */
  readonly kind: 'mock' | 'local' | 'live';
  /** The issuer the RP talks to. */
  readonly issuer: string;
  /** The RP's base URL; its endpoints live below it. */
  readonly rpBase: string;
  /** Whether http (loopback) URLs are in order for this OP. */
  readonly allowHttp: boolean;
  /** The one redirect URI registered for every kind of response, where the OP needs it fixed (real OPs). */
  readonly redirectUri?: string;
  /** Whether the RP uses a client registered beforehand unless a scenario asks for dynamic registration (a live provider with a configured client). */
  readonly prefersStaticClient?: boolean;
  /** The catalogue test the OP runs (the mock OP only). */
  readonly test?: ConformanceTest;
  /** A user identifier WebFinger can resolve to the issuer, when the target has one. */
  webfingerIdentifier?(kind: 'acct:' | 'URL'): string;
  /** Serves the RP's endpoints where the OP and the browser can reach them. */
  serve(handler: RpHandler): Promise<void>;
  /**
   * The user opens `url` in the browser and does whatever the OP asks: log in and consent
   * (`login`), or confirm a logout (`logout`). Returns the URLs visited.
   */
  browse(url: string, purpose?: 'login' | 'logout'): Promise<string[]>;
  /** The pages the browser loaded and their statuses, oldest first, when the target keeps them (the mock OP's simulated browser). */
  pages?(): Array<{ url: string; status: number }>;
  /** The requests the OP received, when it can tell (the mock OP); `undefined` otherwise. */
  opRequests(): LoggedRequest[] | undefined;
  /** The OP instance (the mock OP only). */
  provider?(): Provider;
  /** A client registered beforehand for this RP, authenticating with `method` at the token endpoint. */
  staticClient(behaviour: ClientMetadata, redirectUris: string[], jwksUri: string, postLogoutUris: string[]): Promise<StaticClientConfig>;
  /** Secrets the target itself handled (a test user's password), for the secret ledger. */
  secrets?(): string[];
  /** Releases what the target holds for the scenario. */
  release(): Promise<void>;
}

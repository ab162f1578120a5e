/**
 * The real provider a run talks to: the local oidc-provider the test run starts (`npm test`), or
 * the live provider a configuration describes (`oidc-harness live --config FILE`). Either way the
 * RP's endpoints are served by the run's loopback listener and Chromium plays the user, with the
 * login and logout steps of the provider's configuration or preset.
 */
import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import { type RPConfig } from '../../../src/index.js';
import { publicJwk } from '../../../src/key-jar.js';
import type { LocalOp } from '../../../live/local-op.js';
import { presetSteps } from '../../../live/login-presets.js';
import type { LoginStep } from '../../../live/login-steps.js';
import { sharedRpKeys } from '../rp-keys.js';
import { DEFAULT_PASSWORD_ENV, DEFAULT_USERNAME_ENV, type ConfiguredClient, type ResolvedLiveConfig } from './live-config.js';
import { realRun } from './real-run.js';

/** The user name the local OP's login page is given (it accepts any). */
export const LOCAL_USERNAME = 'foobar';

let localOp: Promise<{ op: LocalOp; listenerUrl: string; password: string }> | undefined;

/** The run's local oidc-provider, started on first use with one static client per authentication method. */
async function sharedLocalOp(): Promise<{ op: LocalOp; listenerUrl: string; password: string }> {
  localOp ??= (async () => {
    const { listenerUrl } = await realRun();
    const { startLocalOp, defaultLocalClients } = await import('../../../live/local-op.js');
    const keys = (await sharedRpKeys()).filter((k) => k.use !== 'enc').map(publicJwk) as JWK[];
    const clients = defaultLocalClients(`${listenerUrl}/callback`, `${listenerUrl}/logged_out`, { keys });
    return { op: await startLocalOp({ clients, webfinger: true }), listenerUrl, password: `local-${randomBytes(12).toString('base64url')}` };
  })();
  return localOp;
}

/** Stops the local OP, if the run started it. */
export async function closeLocalOp(): Promise<void> {
  const started = localOp;
  localOp = undefined;
  await (await started)?.op.close();
}

/**
 * What differs between the local provider and a live one: a live configuration's settings (see
 * {@link ResolvedLiveConfig}), with the clients registered beforehand (a live configuration has at
 * most one; the local provider one per authentication method).
 */
interface ProviderDescription extends Omit<ResolvedLiveConfig, 'slug' | 'client'> {
  kind: 'local' | 'live';
  clients: ConfiguredClient[];
}

/**
 * A real provider under test: where it is (issuer, or a WebFinger identifier), the clients
 * registered with it beforehand, how its login and logout pages are driven, and where the RP
 * listens (`rpBase`, the redirect URI and the post-logout redirect URI, all on the run's listener).
 */
/**
 * What a real provider's RP allows past its guards, explicitly and for the provider alone: http
 * when the provider is on loopback http (or the configuration allows it), and the provider's own
 * hosts (its issuer's, its WebFinger resource's) past the address guard, which otherwise refuses a
 * provider on loopback or inside the network it is tested from.
 */
export function providerAllowance(target: { allowHttp: boolean; issuer?: string | undefined; webfinger?: string | undefined }): NonNullable<RPConfig['allow']> {
  const hosts = [target.issuer, target.webfinger].flatMap((id): string[] => {
    if (id === undefined) return [];
    if (/^acct:/i.test(id)) return [id.slice(id.lastIndexOf('@') + 1).replace(/:\d+$/, '').replace(/^\[|\]$/g, '')];
    return URL.canParse(id) ? [new URL(id).hostname.replace(/^\[|\]$/g, '')] : [];
  });
  return { ...(target.allowHttp ? { http_links: true } : {}), ...(hosts.length > 0 ? { unchecked_hosts: [...new Set(hosts)] } : {}) };
}

export class RealTarget {
  readonly kind: 'local' | 'live';
  /** The provider's name, for reports. */
  readonly name: string;
  /** The issuer, when known without WebFinger. */
  readonly issuer: string | undefined;
  /** A user identifier WebFinger resolves to the issuer, when configured. */
  readonly webfinger: string | undefined;
  /** Whether http (loopback, or explicitly allowed) is in order for the provider's URLs. */
  readonly allowHttp: boolean;
  /** The RP's origin: the run's listener. */
  readonly rpBase: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string | undefined;
  /** The scope the RP asks for by default. */
  readonly scope: string;
  readonly login: readonly LoginStep[];
  readonly logout: readonly LoginStep[];
  /** What the login steps type, by environment variable name. */
  readonly values: ReadonlyMap<string, string>;
  /** The time budget of one login or logout, in milliseconds. */
  readonly timeoutMs: number;
  readonly #clients: ConfiguredClient[];
  readonly #secrets: string[];

  private constructor(description: ProviderDescription, rpBase: string) {
    this.kind = description.kind;
    this.name = description.name;
    this.issuer = description.issuer;
    this.webfinger = description.webfinger;
    this.allowHttp = description.allowHttp;
    this.rpBase = rpBase;
    this.redirectUri = description.redirectUri;
    this.postLogoutRedirectUri = description.postLogoutRedirectUri;
    this.scope = description.scope;
    this.login = description.login;
    this.logout = description.logout;
    this.values = description.values;
    this.timeoutMs = description.timeoutMs;
    this.#clients = description.clients;
    this.#secrets = description.secrets;
  }

  /** The local oidc-provider, started once per run, with a client per authentication method and WebFinger. */
  static async local(): Promise<RealTarget> {
    const { op, listenerUrl, password } = await sharedLocalOp();
    const { login, logout } = presetSteps('oidc-provider', DEFAULT_USERNAME_ENV, DEFAULT_PASSWORD_ENV);
    const clients = op.clients.map((c): ConfiguredClient => ({
      client_id: c.client_id,
      ...(c.client_secret === undefined ? {} : { client_secret: c.client_secret }),
      token_endpoint_auth_method: c.token_endpoint_auth_method,
    }));
    return new RealTarget({
      kind: 'local',
      name: 'local oidc-provider',
      issuer: op.issuer,
      webfinger: `${op.issuer}/${LOCAL_USERNAME}`,
      allowHttp: true,
      clients,
      redirectUri: `${listenerUrl}/callback`,
      postLogoutRedirectUri: `${listenerUrl}/logged_out`,
      scope: 'openid profile email',
      login,
      logout,
      values: new Map([[DEFAULT_USERNAME_ENV, LOCAL_USERNAME], [DEFAULT_PASSWORD_ENV, password]]),
      secrets: [password, ...clients.flatMap((c) => (c.client_secret === undefined ? [] : [c.client_secret]))],
      timeoutMs: 20_000,
    }, listenerUrl);
  }

  /** A live provider from its checked configuration; the run's listener listens on the redirect URI's port. */
  static async live(config: ResolvedLiveConfig): Promise<RealTarget> {
    const redirect = new URL(config.redirectUri);
    await realRun(Number(redirect.port || 80));
    return new RealTarget({
      kind: 'live',
      name: config.name,
      ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
      ...(config.webfinger === undefined ? {} : { webfinger: config.webfinger }),
      allowHttp: config.allowHttp,
      clients: config.client === undefined ? [] : [config.client],
      redirectUri: config.redirectUri,
      ...(config.postLogoutRedirectUri === undefined ? {} : { postLogoutRedirectUri: config.postLogoutRedirectUri }),
      scope: config.scope,
      login: config.login,
      logout: config.logout,
      values: config.values,
      secrets: config.secrets,
      timeoutMs: config.timeoutMs,
    }, redirect.origin);
  }

  /** The client registered beforehand that authenticates with `method` (any method when absent). */
  staticClient(method?: string): ConfiguredClient | undefined {
    return this.#clients.find((c) => method === undefined || c.token_endpoint_auth_method === method);
  }

  /** The authentication methods of the clients registered beforehand. */
  staticMethods(): string[] {
    return this.#clients.map((c) => c.token_endpoint_auth_method);
  }

  /** Every secret the target brought (client secrets, typed values), for redaction and the secret ledger. */
  secrets(): string[] {
    return [...this.#secrets];
  }
}

/** The provider's discovery document, as the run learnt it once. */
export interface ProviderMetadata {
  /** The issuer (found with WebFinger when the configuration names an identifier). */
  issuer: string;
  /** The discovery document. */
  document: Record<string, unknown>;
}

const metadataByProvider = new Map<string, Promise<ProviderMetadata>>();

/**
 * The provider's issuer and discovery document, fetched once per run through the service layer
 * (WebFinger first when the target names an identifier). The scenarios plan with it (which client,
 * what to skip); each scenario's RP still discovers the provider itself.
 * @throws Error naming what failed: the WebFinger query or the discovery request, with its cause.
 */
export function providerMetadata(target: RealTarget): Promise<ProviderMetadata> {
  const key = target.issuer ?? target.webfinger ?? '';
  let known = metadataByProvider.get(key);
  if (known === undefined) {
    known = learnMetadata(target);
    metadataByProvider.set(key, known);
    known.catch(() => metadataByProvider.delete(key));
  }
  return known;
}

async function learnMetadata(target: RealTarget): Promise<ProviderMetadata> {
  const { RelyingParty, Transport } = await import('../../../src/index.js');
  const transport = new Transport({ timeout: 10_000 });
  try {
    const rp = await RelyingParty.create({
      base_url: target.rpBase,
      redirect_uris: [target.redirectUri],
      client_preferences: {},
      allow: providerAllowance(target),
    }, { transport });
    const how = target.issuer !== undefined ? `discovery at ${target.issuer}` : `WebFinger for ${target.webfinger ?? ''}, then discovery`;
    try {
      if (target.issuer !== undefined) rp.context.issuer = target.issuer;
      const document = await rp.discover(target.issuer === undefined ? target.webfinger : undefined);
      return { issuer: rp.context.issuer ?? String(document['issuer']), document: { ...document } };
    } catch (error) {
      const check = typeof (error as { check?: unknown }).check === 'string' ? ` (${String((error as { check: string }).check)})` : '';
      const failure = new Error(`the provider could not be found: ${how} failed${check}: ${(error as Error).message}`);
      failure.name = 'ScenarioError';
      throw failure;
    }
  } finally {
    await transport.close();
  }
}

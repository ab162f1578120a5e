import type { ClientMetadata, JsonWebKeyWithKid, RpHandler } from '../../../src/index.js';
import { publicJwk } from '../../../src/index.js';
import type { LocalOp } from '../../../live/local-op.js';
import type { LoginRecipe } from '../../../live/login-recipes/index.js';
import { sharedRpKeys } from '../rp-keys.js';
import type { ResolvedLiveConfig } from './live-config.js';
import type { OpTarget, StaticClientConfig } from './op-target.js';
import { realRun } from './real-run.js';

/** Where a real OP's user lands after logging in, and how to get there. */
interface RealOp {
  kind: 'local' | 'live';
  issuer: string;
  webfinger?: string;
  recipe: LoginRecipe;
  credentials: { username: string; password: string };
  timeoutMs: number;
  staticClient(method: string | undefined): StaticClientConfig | undefined;
}

let localOp: Promise<{ op: LocalOp; listenerUrl: string }> | undefined;

/** The run's local oidc-provider, started on first use with one static client per authentication method. */
async function sharedLocalOp(): Promise<{ op: LocalOp; listenerUrl: string }> {
  localOp ??= (async () => {
    const { listenerUrl } = await realRun();
    const { startLocalOp, defaultLocalClients } = await import('../../../live/local-op.js');
    const keys = (await sharedRpKeys()).filter((k) => k.use !== 'enc').map(publicJwk);
    const clients = defaultLocalClients(`${listenerUrl}/rp/callback`, `${listenerUrl}/rp/logged_out`, { keys: keys as never });
    return { op: await startLocalOp({ clients }), listenerUrl };
  })();
  return localOp;
}

/** Stops the local OP, if the run started it. */
export async function closeLocalOp(): Promise<void> {
  const started = localOp;
  localOp = undefined;
  await (await started)?.op.close();
}

/** The screenshots of a login, handed to the scenario's report. */
export type ScreenshotSink = (name: string, png: Buffer) => Promise<void>;

/**
 * A real OP target: the local oidc-provider the run starts, or a configured live provider. The
 * RP's endpoints are served by the run's loopback listener and Chromium plays the user.
 */
export class RealTarget implements OpTarget {
  readonly kind: 'local' | 'live';
  readonly issuer: string;
  readonly rpBase: string;
  readonly allowHttp: boolean;
  readonly prefersStaticClient: boolean;
  readonly #op: RealOp;
  readonly #screenshots: ScreenshotSink;
  readonly #redirectUri: string;

  private constructor(op: RealOp, rpBase: string, redirectUri: string, screenshots: ScreenshotSink) {
    this.kind = op.kind;
    this.issuer = op.issuer;
    this.#op = op;
    this.rpBase = rpBase;
    this.#redirectUri = redirectUri;
    this.allowHttp = op.issuer.startsWith('http:');
    this.prefersStaticClient = op.kind === 'live' && op.staticClient(undefined) !== undefined;
    this.#screenshots = screenshots;
  }

  /** The local oidc-provider, started once per run. */
  static async local(screenshots: ScreenshotSink): Promise<RealTarget> {
    const { op, listenerUrl } = await sharedLocalOp();
    const { oidcProviderRecipe } = await import('../../../live/login-recipes/index.js');
    const clients = new Map(op.clients.map((c) => [c.token_endpoint_auth_method, c]));
    return new RealTarget(
      {
        kind: 'local',
        issuer: op.issuer,
        recipe: oidcProviderRecipe,
        credentials: { username: 'foobar', password: 'local-password-never-shown' },
        timeoutMs: 20_000,
        staticClient: (method) => {
          const client = clients.get((method ?? 'client_secret_basic') as never);
          return client && { client_id: client.client_id, ...(client.client_secret ? { client_secret: client.client_secret } : {}), behaviour: { token_endpoint_auth_method: client.token_endpoint_auth_method, response_types: ['code'], grant_types: client.grant_types } };
        },
      },
      `${listenerUrl}/rp`,
      `${listenerUrl}/rp/callback`,
      screenshots,
    );
  }

  /** A live provider from its configuration. */
  static async live(config: ResolvedLiveConfig, screenshots: ScreenshotSink): Promise<RealTarget> {
    const redirect = new URL(config.redirect_uri);
    await realRun(Number(redirect.port || 80));
    const { loginRecipeByName } = await import('../../../live/login-recipes/index.js');
    const rpBase = redirect.origin;
    return new RealTarget(
      {
        kind: 'live',
        issuer: config.issuer ?? '',
        ...(config.webfinger ? { webfinger: config.webfinger } : {}),
        recipe: loginRecipeByName(config.login.recipe, config.login.selectors),
        credentials: { username: config.username, password: config.password },
        timeoutMs: config.timeout_ms ?? 30_000,
        staticClient: (method) => {
          const client = config.client;
          if (!client || (method !== undefined && (client.token_endpoint_auth_method ?? 'client_secret_basic') !== method)) return undefined;
          return { client_id: client.client_id, ...(config.clientSecret ? { client_secret: config.clientSecret } : {}), behaviour: { token_endpoint_auth_method: client.token_endpoint_auth_method ?? 'client_secret_basic', response_types: ['code'], scope: (config.scope ?? 'openid profile email').split(' ') } };
        },
      },
      rpBase,
      config.redirect_uri,
      screenshots,
    );
  }

  /** The redirect URI: one for every kind of response. */
  get redirectUri(): string {
    return this.#redirectUri;
  }

  /** @inheritDoc */
  webfingerIdentifier(): string {
    return this.#op.webfinger ?? this.issuer;
  }

  /** Whether the target has a client registered beforehand that uses `method`. */
  hasStaticClient(method: string | undefined): boolean {
    return this.#op.staticClient(method) !== undefined;
  }

  /** @inheritDoc */
  async serve(handler: RpHandler): Promise<void> {
    (await realRun()).route(handler);
  }

  /** @inheritDoc */
  async browse(url: string, purpose: 'login' | 'logout' = 'login'): Promise<string[]> {
    const run = await realRun();
    const browser = await run.browser();
    if (purpose === 'logout') {
      const { followThroughBrowser } = await import('../../../live/follow-through-browser.js');
      const { finalUrl } = await followThroughBrowser({ browser, url, returnUrlPrefix: this.rpBase, timeoutMs: this.#op.timeoutMs, screenshot: (name, png) => this.#screenshots(name, png) });
      return [url, finalUrl];
    }
    const { loginThroughBrowser } = await import('../../../live/login.js');
    const result = await loginThroughBrowser({
      browser,
      url,
      recipe: this.#op.recipe,
      credentials: this.#op.credentials,
      returnUrlPrefix: this.rpBase,
      timeoutMs: this.#op.timeoutMs,
      screenshot: (name: string, png: Buffer) => this.#screenshots(name, png),
    });
    return [url, result.finalUrl];
  }

  /** @inheritDoc */
  secrets(): string[] {
    return [this.#op.credentials.password];
  }

  /** A real OP cannot tell what it received. */
  opRequests(): undefined {
    return undefined;
  }

  /** @inheritDoc */
  async staticClient(behaviour: ClientMetadata): Promise<StaticClientConfig> {
    const method = typeof behaviour.token_endpoint_auth_method === 'string' ? behaviour.token_endpoint_auth_method : undefined;
    const client = this.#op.staticClient(method);
    if (!client) throw new Error(`the ${this.kind} OP has no client registered beforehand for ${method ?? 'the default method'}`);
    return { ...client, behaviour: { ...behaviour, ...client.behaviour } };
  }

  /** @inheritDoc */
  async release(): Promise<void> {
    (await realRun()).route(undefined);
  }
}

export type { JsonWebKeyWithKid };

/**
 * A real OpenID Provider on loopback: oidc-provider 9 on plain `http://127.0.0.1:<port>`,
 * with its development login and consent pages, for driving a Relying Party through a browser.
 *
 * oidc-provider is imported lazily (see ./oidc-provider-module.ts), so importing this module
 * for its types costs nothing.
 */
import { closeServer } from './close-server.js';
import { randomBytes } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { defaultLocalAccount, type LocalAccountDirectory } from './local-op-accounts.js';
import type { LocalOpClient } from './local-op-clients.js';
import { createLocalOpStore } from './local-op-store.js';
import { loadOidcProvider } from './oidc-provider-module.js';

export { defaultLocalClients, type LocalOpClient } from './local-op-clients.js';
export { defaultLocalAccount, type LocalAccountClaims, type LocalAccountDirectory } from './local-op-accounts.js';

/** How to start the local OP. */
export interface LocalOpOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks any free port. */
  port?: number;
  /** Statically registered clients (more can register dynamically at /reg). */
  clients?: LocalOpClient[];
  /** The OP's private RS256 signing JWK; generated at start when absent (120 to 370 ms). */
  signingKey?: JWK;
  /** Claims for a typed login id; `defaultLocalAccount` when absent. */
  accounts?: LocalAccountDirectory;
  /**
   * Answers WebFinger (RFC 7033) at `/.well-known/webfinger` for any resource with this issuer,
   * as OpenID Connect Discovery 1.0, 2 describes (oidc-provider itself has no WebFinger).
   */
  webfinger?: boolean;
}

/** A running local OP. */
export interface LocalOp {
  /** `http://127.0.0.1:<port>`; discovery is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  port: number;
  /** The static clients it was started with. */
  clients: LocalOpClient[];
  /** Unexpected errors inside the OP (HTTP 500s), collected instead of printed. */
  serverErrors: Error[];
  /** Stops the server, drops open connections and frees the port. */
  close(): Promise<void>;
}

/** The parts of oidc-provider's client model used by the policies below. */
interface ProviderClient {
  clientId: string;
  clientAuthMethod: string;
  redirectUris: string[];
  grantTypeAllowed(grantType: string): boolean;
}

/** The parts of a Koa/oidc-provider request context used by the page renderers below. */
interface ProviderContext {
  type: string;
  body: unknown;
  host: string;
  oidc: { route: string; client?: { clientId: string } };
}

/** Token lifetimes in seconds (set explicitly so oidc-provider does not warn about its defaults). */
const TTL = {
  AccessToken: 3600,
  AuthorizationCode: 60,
  ClientCredentials: 600,
  DeviceCode: 600,
  BackchannelAuthenticationRequest: 600,
  PreAuthorizedCode: 600,
  IdToken: 3600,
  RefreshToken: 14 * 24 * 3600,
  Interaction: 3600,
  Session: 14 * 24 * 3600,
  Grant: 14 * 24 * 3600,
};

/** Starts oidc-provider on 127.0.0.1 and resolves once it accepts requests. */
export async function startLocalOp(options: LocalOpOptions = {}): Promise<LocalOp> {
  const [Provider, signingKey] = await Promise.all([
    loadOidcProvider(),
    options.signingKey ?? generateSigningKey(),
  ]);
  const clients = options.clients ?? [];
  const accounts = options.accounts ?? defaultLocalAccount;
  const serverErrors: Error[] = [];

  let listener: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => listener(req, res));
  await listen(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;

  try {
    const provider = new Provider(issuer, {
      adapter: createLocalOpStore(),
      clients: clients.map((client) => ({ ...client })),
      jwks: { keys: [signingKey] },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      findAccount: async (_ctx: unknown, sub: string) => ({
        accountId: sub,
        claims: async () => accounts(sub),
      }),
      claims: {
        openid: ['sub'],
        profile: ['name', 'given_name', 'family_name'],
        email: ['email', 'email_verified'],
        acr: null,
        auth_time: null,
        iss: null,
        sid: null,
      },
      scopes: ['openid', 'offline_access', 'profile', 'email'],
      responseTypes: ['code', 'code id_token', 'id_token', 'none'],
      // PKCE (S256 only in v9) is accepted from every client and required from public ones.
      pkce: { required: (_ctx: unknown, client: ProviderClient) => client.clientAuthMethod === 'none' },
      // A refresh token for the code grant when the client may use it and offline_access was
      // granted (the development consent page grants every requested scope, offline_access included).
      issueRefreshToken: async (_ctx: unknown, client: ProviderClient, code: { scopes: Set<string> }) =>
        client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
      ttl: TTL,
      clientBasedCORS: (ctx: ProviderContext, origin: string, client: ProviderClient) =>
        origin !== 'null'
        && (ctx.oidc.route === 'userinfo' || client.clientAuthMethod === 'none')
        && client.redirectUris.some((uri) => URL.canParse(uri) && new URL(uri).origin === origin),
      renderError: async (ctx: ProviderContext, out: Record<string, unknown>) => {
        ctx.type = 'html';
        ctx.body = page('Error', Object.entries(out)
          .map(([key, value]) => `<pre><strong>${escapeHtml(key)}</strong>: ${escapeHtml(String(value))}</pre>`)
          .join(''));
      },
      features: {
        devInteractions: { enabled: true },
        registration: { enabled: true },
        claimsParameter: { enabled: true },
        userinfo: { enabled: true },
        revocation: {
          enabled: true,
          allowedPolicy: async (_ctx: unknown, client: ProviderClient, token: { clientId: string }) =>
            token.clientId === client.clientId,
        },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: async (ctx: ProviderContext, form: string) => {
            ctx.body = page('Logout Request', `<h1>Sign out from ${escapeHtml(ctx.host)}?</h1>${form}`
              + '<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>'
              + '<button type="submit" form="op.logoutForm">No, stay signed in</button>');
          },
          postLogoutSuccessSource: async (ctx: ProviderContext) => {
            ctx.body = page('Sign-out Success', '<h1>Sign-out Success</h1>');
          },
        },
      },
    });
    provider.on('server_error', (_ctx, error) => serverErrors.push(asError(error)));
    provider.on('error', (error) => serverErrors.push(asError(error)));
    const callback = provider.callback();
    listener = options.webfinger === true ? withWebFinger(issuer, callback) : callback;
  } catch (error) {
    await closeServer(server);
    throw error;
  }

  return {
    issuer,
    port,
    clients,
    serverErrors,
    close: () => closeServer(server),
  };
}

/** The rel of an OpenID Connect issuer link in a WebFinger answer. */
const ISSUER_REL = 'http://openid.net/specs/connect/1.0/issuer';

/** Serves WebFinger for every resource in front of `next`: the issuer link for `rel=...issuer` (or no rel). */
function withWebFinger(issuer: string, next: RequestListener): RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname !== '/.well-known/webfinger') {
      void next(req, res);
      return;
    }
    const resource = url.searchParams.get('resource');
    if (resource === null || resource === '') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_request', error_description: 'resource is required' }));
      return;
    }
    const rels = url.searchParams.getAll('rel');
    const links = rels.length === 0 || rels.includes(ISSUER_REL) ? [{ rel: ISSUER_REL, href: issuer }] : [];
    res.writeHead(200, { 'content-type': 'application/jrd+json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify({ subject: resource, links }));
  };
}

/** Generates the OP's RS256 signing key as a private JWK with `kid`, `alg` and `use`. */
async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}


function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`
    + `<body>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

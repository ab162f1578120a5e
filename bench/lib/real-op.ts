/**
 * Logins through a real OP: oidc-provider on loopback (`startLocalOp`), real Chromium
 * (`launchBrowser`), the oidc-provider login recipe through `loginThroughBrowser`, and a real
 * callback listener for the redirect URI. The RP is this service layer with the OP's static
 * client_secret_basic client: it builds the authorization request (PKCE, state, nonce) and, after
 * the login, exchanges the code, verifies the ID token and fetches userinfo.
 *
 * Timed separately: the OP's start (including its RS256 key generation), the browser's launch,
 * each browser login (open the authorization URL, log in, consent, back at the callback: a fresh
 * browser context per login, so every login shows both pages), and the RP's part after it.
 */
import { RelyingParty, type RPConfig } from '../../src/index.js';
import { launchBrowser } from '../../live/browser.js';
import { startCallbackListener } from '../../live/callback-listener.js';
import { defaultLocalClients, startLocalOp } from '../../live/local-op.js';
import { loginThroughBrowser } from '../../live/login.js';
import { oidcProviderRecipe } from '../../live/login-recipes/index.js';
import { median, range, round } from './stats.js';

export interface RealOpFigures {
  opStartMs: number;
  browserLaunchMs: number;
  logins: number;
  /** Each browser login, in order (the first one includes the browser's first page load). */
  loginsMs: number[];
  loginMedianMs: number;
  loginRangeMs: [number, number];
  /** The RP after each login: code exchange, ID token verification (JWKS fetched on the first), userinfo. */
  rpFinishMedianMs: number;
  rpFinishRangeMs: [number, number];
}

export async function measureRealOpLogins(count: number): Promise<RealOpFigures> {
  const listener = await startCallbackListener();
  const redirectUri = `${listener.url}/cb`;
  const clients = defaultLocalClients(redirectUri, `${listener.url}/logged-out`, { keys: [] });
  const client = clients.find((c) => c.token_endpoint_auth_method === 'client_secret_basic')!;

  const opStarted = performance.now();
  const op = await startLocalOp({ clients });
  const opStartMs = performance.now() - opStarted;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    const browserStarted = performance.now();
    browser = await launchBrowser();
    const browserLaunchMs = performance.now() - browserStarted;

    const config: RPConfig = {
      base_url: listener.url,
      redirect_uris: [redirectUri],
      issuer: op.issuer,
      client_id: client.client_id,
      client_secret: client.client_secret!,
      behaviour: { token_endpoint_auth_method: 'client_secret_basic', response_types: ['code'], scope: ['openid', 'profile', 'email'], grant_types: client.grant_types },
      // The local OP is on loopback http.
      allow: { http_links: true, private_addresses: true },
    };
    const rp = await RelyingParty.create(config);
    await rp.discover();

    const loginsMs: number[] = [];
    const finishMs: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const { url, state } = await rp.beginLogin();
      const started = performance.now();
      await loginThroughBrowser({
        browser,
        url,
        recipe: oidcProviderRecipe,
        credentials: { username: 'foobar', password: 'any password will do' },
        returnUrlPrefix: redirectUri,
        timeoutMs: 20_000,
      });
      loginsMs.push(performance.now() - started);
      const callback = await listener.waitForRequest((r) => r.params.get('state') === state, 5_000);
      const finishing = performance.now();
      const { token } = await rp.finishLogin(callback.url, state);
      const userinfo = await rp.userInfo(state);
      finishMs.push(performance.now() - finishing);
      if (token?.verified_id_token?.['sub'] !== 'foobar' || userinfo['sub'] !== 'foobar') {
        throw new Error(`login ${i + 1} did not end with the user's verified claims`);
      }
    }
    await (rp.transport as { close?: () => Promise<void> }).close?.();
    const [lo, hi] = range(loginsMs);
    const [flo, fhi] = range(finishMs);
    return {
      opStartMs: Math.round(opStartMs),
      browserLaunchMs: Math.round(browserLaunchMs),
      logins: count,
      loginsMs: loginsMs.map((ms) => Math.round(ms)),
      loginMedianMs: Math.round(median(loginsMs)),
      loginRangeMs: [Math.round(lo), Math.round(hi)],
      rpFinishMedianMs: round(median(finishMs)),
      rpFinishRangeMs: [round(flo), round(fhi)],
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await op.close();
    await listener.close();
  }
}

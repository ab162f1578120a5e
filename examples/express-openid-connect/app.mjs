// A web Relying Party on Express 5 with express-openid-connect's auth() middleware, configured as
// its README shows, from the environment: OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
// OIDC_RP_PORT (it listens on http://127.0.0.1:<port>), OIDC_RESPONSE_MODE (form_post or empty),
// SESSION_SECRET (a random one per process when unset).
//
// GET /login starts the login (the middleware's route), /callback takes the OP's answer, / shows
// the user once logged in (and reads their UserInfo), /health answers "ok".
import { randomBytes } from 'node:crypto';
import express from 'express';
import { auth } from 'express-openid-connect';

const env = process.env;
const port = Number(env.OIDC_RP_PORT || 3000);

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (body) => `<!doctype html><html><head><meta charset="utf-8"><title>express-openid-connect RP</title></head><body>${body}</body></html>`;

/**
 * A minimal express-session compatible store in memory, for the logout tokens Back-Channel Logout
 * keeps (express-openid-connect asks for one; a real deployment would use its session store).
 */
class MemoryLogoutStore {
  #entries = new Map();
  get(key, callback) {
    const entry = this.#entries.get(key);
    if (entry && entry.expires < Date.now()) this.#entries.delete(key);
    callback(null, entry && entry.expires >= Date.now() ? entry.value : undefined);
  }
  set(key, value, callback) {
    const maxAge = value?.cookie?.expires ? new Date(value.cookie.expires).getTime() - Date.now() : 24 * 3600 * 1000;
    this.#entries.set(key, { value, expires: Date.now() + maxAge });
    callback?.(null);
  }
  destroy(key, callback) {
    this.#entries.delete(key);
    callback?.(null);
  }
}

const app = express();

app.get('/health', (req, res) => res.type('text').send('ok'));
app.get('/favicon.ico', (req, res) => res.status(204).end());

app.use(
  auth({
    issuerBaseURL: env.OIDC_ISSUER,
    baseURL: `http://127.0.0.1:${port}`,
    clientID: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    secret: env.SESSION_SECRET || randomBytes(32).toString('base64url'),
    authRequired: false,
    // RP-initiated logout at the OP (its end_session_endpoint), and Back-Channel Logout at /backchannel-logout.
    idpLogout: true,
    backchannelLogout: { store: new MemoryLogoutStore() },
    authorizationParams: {
      response_type: 'code',
      scope: 'openid profile email',
      ...(env.OIDC_RESPONSE_MODE ? { response_mode: env.OIDC_RESPONSE_MODE } : {}),
    },
  }),
);

app.get('/', async (req, res) => {
  if (!req.oidc.isAuthenticated()) {
    res.send(page('<p id="logged-out">Not logged in. <a href="/login">Log in</a></p>'));
    return;
  }
  const { sub } = req.oidc.user;
  const userinfo = await req.oidc.fetchUserInfo();
  console.log(`logged in as ${sub} (UserInfo: ${Object.keys(userinfo).length} claims)`);
  res.send(
    page(
      `<p id="logged-in">Logged in as <code>${escapeHtml(sub)}</code></p>` +
        `<p>Name: ${escapeHtml(userinfo.name ?? '-')}, email: ${escapeHtml(userinfo.email ?? '-')}</p>` +
        '<p><a href="/logout">Log out</a></p>',
    ),
  );
});

// Whatever went wrong (an OP error, a refused ID token or UserInfo response), the page says so.
app.use((err, req, res, next) => {
  const detail = err.error_description && err.error_description !== err.message ? `: ${err.error_description}` : '';
  console.error(`refused: ${err.error ?? err.code ?? err.name}: ${err.message}${detail}`);
  res.status(500).send(page(`<h1>Login failed</h1><p id="error">${escapeHtml(err.message + detail)}</p>`));
});

app.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));

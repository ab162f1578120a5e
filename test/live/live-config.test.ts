/**
 * A live configuration is checked at start against a schema, and every problem is named at once
 * with its setting, never quoting a secret. The example configurations pass.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkLiveConfig, slugOf } from '../../steps/support/targets/live-config.js';
import { ROOT } from '../fixtures/root.js';


const GOOD = {
  name: 'Keycloak, realm demo',
  issuer: 'https://keycloak.example.com/realms/demo',
  client: { client_id: 'oidc-harness', client_secret_env: 'T_SECRET' },
  redirect_uri: 'http://127.0.0.1:8400/callback',
  post_logout_redirect_uri: 'http://127.0.0.1:8400/logged_out',
  login: { preset: 'keycloak', username_env: 'T_USER', password_env: 'T_PASSWORD' },
};
const ENV = { T_SECRET: 'client-secret-1234', T_USER: 'alice', T_PASSWORD: 'password-5678' };

const problemsOf = (input: unknown, env: NodeJS.ProcessEnv = ENV): string[] => {
  const checked = checkLiveConfig(input, env);
  return checked.ok ? [] : checked.problems.map((p) => `${p.setting}: ${p.message}`);
};

describe('the live configuration', () => {
  it('resolves a preset to its steps, with the values read from the environment', () => {
    const checked = checkLiveConfig(GOOD, ENV);
    assert.ok(checked.ok);
    const { config } = checked;
    assert.equal(config.slug, 'keycloak-realm-demo');
    assert.deepEqual(config.login.filter((s) => 'fill' in s).map((s) => ('fill' in s ? s.env : '')), ['T_USER', 'T_PASSWORD']);
    assert.deepEqual(config.logout, [{ click: '#kc-logout', optional: true }]);
    assert.equal(config.values.get('T_PASSWORD'), 'password-5678');
    assert.equal(config.client?.client_secret, 'client-secret-1234');
    assert.deepEqual(new Set(config.secrets), new Set(['client-secret-1234', 'alice', 'password-5678']));
    assert.equal(config.allowHttp, false);
  });

  it('names every problem at once: unknown keys, wrong types, an unknown preset, steps, URLs', () => {
    const problems = problemsOf({
      name: 7,
      issuer: 'http://op.example.com',
      extra: true,
      client: { client_id: 'c', token_endpoint_auth_method: 'private_key_jwt' },
      redirect_uri: 'https://rp.example/callback',
      post_logout_redirect_uri: 'http://127.0.0.1:9999/logged_out',
      login: { preset: 'okta', steps: [{ fill: '#user' }, { click: '#a', check: '#b' }, { click: '#go', env: 'X' }] },
      timeout_ms: 'soon',
    });
    assert.deepEqual(problems, [
      'name: expected string, got number',
      'client.token_endpoint_auth_method: expected client_secret_basic or client_secret_post (private_key_jwt only with dynamic registration: the harness makes new keys for every run)',
      'login.preset: expected one of the presets oidc-provider, keycloak, glewlwyd',
      'timeout_ms: expected number, got string',
      'extra: unknown setting',
      'issuer: an http URL off loopback: use https, or set allow_http: true to accept it',
      'redirect_uri: must be an http loopback URL (http://127.0.0.1:PORT/...), where the harness listens',
      'login: give preset (oidc-provider, keycloak, glewlwyd) or steps, not both',
      'login.steps[0].env: missing: a fill step types the value of an environment variable',
      'login.steps[1]: a step does exactly one of fill, click, check, wait_for, wait_for_url (this one: click, check)',
      'login.steps[2].env: only with fill',
    ]);
  });

  it('accepts an http issuer off loopback only with allow_http, and always on loopback', () => {
    assert.deepEqual(problemsOf({ ...GOOD, issuer: 'http://op.example.com', allow_http: true }), []);
    assert.deepEqual(problemsOf({ ...GOOD, issuer: 'http://127.0.0.1:4000' }), []);
    assert.equal((checkLiveConfig({ ...GOOD, issuer: 'http://127.0.0.1:4000' }, ENV) as { config: { allowHttp: boolean } }).config.allowHttp, true);
  });

  it('needs the issuer or a WebFinger identifier, not both', () => {
    const { issuer: _issuer, ...withoutIssuer } = GOOD;
    assert.deepEqual(problemsOf(withoutIssuer), ['issuer: missing: give the issuer, or webfinger with a user identifier to find it']);
    assert.deepEqual(problemsOf({ ...GOOD, webfinger: 'acct:alice@keycloak.example.com' }), ['webfinger: give issuer or webfinger, not both']);
    assert.deepEqual(problemsOf({ ...withoutIssuer, webfinger: 'acct:alice@keycloak.example.com' }), []);
  });

  it('names every environment variable that is not set, by the setting that names it', () => {
    assert.deepEqual(problemsOf(GOOD, {}), [
      'client.client_secret_env: the environment variable T_SECRET is not set',
      'login.username_env: the environment variable T_USER is not set',
      'login.password_env: the environment variable T_PASSWORD is not set',
    ]);
    assert.deepEqual(problemsOf({ ...GOOD, login: { preset: 'keycloak' } }, { T_SECRET: 'x' }), [
      'login.username_env (default OIDC_HARNESS_USERNAME): the environment variable OIDC_HARNESS_USERNAME is not set',
      'login.password_env (default OIDC_HARNESS_PASSWORD): the environment variable OIDC_HARNESS_PASSWORD is not set',
    ]);
    assert.deepEqual(problemsOf({ ...GOOD, login: { steps: [{ fill: '#email', env: 'MY_EMAIL' }, { click: '#go' }] } }, { T_SECRET: 'x' }), [
      'login.steps[0].env: the environment variable MY_EMAIL is not set',
    ]);
  });

  it('refuses a secret in the file, saying where it belongs, without quoting it', () => {
    const problems = problemsOf({ ...GOOD, client: { ...GOOD.client, client_secret: 'hunter2' }, login: { ...GOOD.login, password: 'hunter3' } });
    assert.deepEqual(problems.map((p) => p.split(':')[0]), ['client.client_secret', 'login.password']);
    for (const problem of problems) assert.match(problem, /a secret does not belong in the file: name the environment variable that holds it/);
    assert.ok(problems.every((p) => !p.includes('hunter')));
  });

  it('passes every example configuration', async () => {
    const files = [join(ROOT, 'live.example.json'), ...(await readdir(join(ROOT, 'examples', 'live'))).map((f) => join(ROOT, 'examples', 'live', f))];
    assert.ok(files.length >= 4, 'an example per login style');
    for (const file of files) {
      const input: unknown = JSON.parse(await readFile(file, 'utf8'));
      const checked = checkLiveConfig(input, new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? `value-of-${name}` : undefined) }));
      assert.ok(checked.ok, `${file}: ${checked.ok ? '' : checked.problems.map((p) => `${p.setting}: ${p.message}`).join('; ')}`);
    }
  });

  it('makes a folder name of the provider name', () => {
    assert.equal(slugOf('glewlwyd 2.7 (Debian)'), 'glewlwyd-2-7-debian');
    assert.equal(slugOf('***'), 'provider');
  });
});

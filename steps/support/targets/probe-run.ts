/**
 * A probe scenario's kit (live/probes/probe-kit.ts) wired to the run: the provider's metadata,
 * HTTP through a recording Transport (every exchange attached to the scenario, redacted), fresh
 * browsers with the provider's login steps, the run's listener answering every redirect with a
 * plain page (a probe's redirects are not the RP's logins), and the clients the probes use,
 * registered dynamically at most once per run.
 */
import { Transport } from '../../../src/index.js';
import { ProbeKit, ProbeSkipped, type ProbeClient } from '../../../live/probes/probe-kit.js';
import type { LiveScenario } from './live-scenario.js';
import { realRun, type ListenerRoute } from './real-run.js';
import type { RealTarget } from './real-target.js';

/** The listener's answer to a probe's redirect: a plain page, whatever the path. */
const CATCHER: ListenerRoute = {
  handle: async () => new Response('<!doctype html><html><head><title>Probe</title></head><body>The probe got the redirect.</body></html>', { headers: { 'content-type': 'text/html; charset=utf-8' } }),
};

/** The run's probe clients per provider. */
const clients = new Map<string, { primary?: Promise<ProbeClient>; second?: Promise<ProbeClient> }>();

/** Registers a confidential client_secret_basic client for the probes. */
async function register(kit: { metadata: Record<string, unknown> }, http: Transport, target: RealTarget, noteSecret: (value: string) => void, purpose: string): Promise<ProbeClient> {
  const endpoint = kit.metadata['registration_endpoint'];
  if (typeof endpoint !== 'string') throw new ProbeSkipped(`the probe needs ${purpose}, and the provider offers no dynamic registration (no registration_endpoint)`);
  const response = await http.send({
    method: 'POST',
    url: endpoint,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      client_name: `oidc-harness probe (${purpose})`,
      redirect_uris: [target.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      application_type: 'web',
    }),
  });
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    // judged just below
  }
  if (response.status >= 300 || typeof body['client_id'] !== 'string' || typeof body['client_secret'] !== 'string') {
    throw new Error(`the probe needs ${purpose}: dynamic registration answered HTTP ${response.status} without a client_id and client_secret`);
  }
  noteSecret(body['client_secret']);
  return { client_id: body['client_id'], client_secret: body['client_secret'], method: 'client_secret_basic', dynamic: true };
}

/** The kit for one probe scenario. */
export async function probeKitFor(scenario: LiveScenario): Promise<ProbeKit> {
  const { issuer, document } = await scenario.metadata();
  const target = scenario.target;
  const noteSecret = (value: string): void => {
    scenario.noted.push(value);
  };
  const http = new Transport({ timeout: 10_000, secrets: () => [...scenario.noted, ...target.secrets()] });
  http.onExchange((exchange) => scenario.world.recordExchange('probe', exchange));
  scenario.world.onDispose(() => http.close());
  const run = await realRun();
  run.route(CATCHER);
  scenario.world.onDispose(async () => run.route(undefined));

  const known = clients.get(target.name) ?? {};
  clients.set(target.name, known);
  const meta = { metadata: document };
  return new ProbeKit({
    issuer,
    metadata: document,
    redirectUri: target.redirectUri,
    scope: target.scope,
    allowHttp: target.allowHttp,
    http,
    openSession: () => scenario.freshBrowser(),
    primaryClient: () => {
      known.primary ??= (async () => {
        const configured = ['client_secret_basic', 'client_secret_post'].map((m) => target.staticClient(m)).find((c) => c?.client_secret !== undefined);
        if (configured?.client_secret !== undefined) {
          return { client_id: configured.client_id, client_secret: configured.client_secret, method: configured.token_endpoint_auth_method as ProbeClient['method'], dynamic: false };
        }
        return register(meta, http, target, noteSecret, 'a client with a secret');
      })();
      known.primary.catch(() => {
        known.primary = undefined;
      });
      return known.primary;
    },
    secondClient: () => {
      known.second ??= register(meta, http, target, noteSecret, 'a second client');
      known.second.catch(() => {
        known.second = undefined;
      });
      return known.second;
    },
    noteSecret,
  });
}

import { appendFile } from 'node:fs/promises';
import { exportJWK } from 'jose';
import type { HarnessWorld } from './world.js';
import { sharedOpKeys } from './op-keys.js';
import { sharedRpKeys } from './rp-keys.js';
import type { RelyingParty } from '../../src/relying-party.js';

/**
 * The secret ledger: when `OIDC_HARNESS_SECRET_LEDGER` names a file (outside reports/), every
 * secret a scenario handled is appended to it, one JSON string per line, so that a test can
 * search the reports for each and find none. Off by default: the ledger is itself a file of secrets.
 */
export const SECRET_LEDGER_ENV = 'OIDC_HARNESS_SECRET_LEDGER';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];
const TOKEN_MEMBERS = ['access_token', 'refresh_token', 'code', 'code_verifier', 'client_secret', 'registration_access_token'];

function signatureOf(token: unknown): string | undefined {
  if (typeof token !== 'string') return undefined;
  const parts = token.split('.');
  return parts.length === 3 && parts[2] ? parts[2] : undefined;
}

let keysWritten = false;

/** The private key material of the run's keys (the mock OP's and the RPs'). */
async function keySecrets(): Promise<string[]> {
  const out: string[] = [];
  for (const jwk of await sharedRpKeys()) for (const member of PRIVATE_MEMBERS) if (typeof jwk[member] === 'string') out.push(jwk[member] as string);
  const opKeys = await sharedOpKeys();
  for (const key of [opKeys.rs256, opKeys.es256, opKeys.encryption]) {
    const jwk = (await exportJWK(key.privateKey)) as Record<string, unknown>;
    for (const member of PRIVATE_MEMBERS) if (typeof jwk[member] === 'string') out.push(jwk[member] as string);
  }
  return out;
}

/** Appends the secrets of the scenario (and, once per run, of the run's keys) to the ledger. */
export async function recordSecrets(world: HarnessWorld): Promise<void> {
  const ledger = process.env[SECRET_LEDGER_ENV];
  if (!ledger) return;
  const secrets: string[] = [];
  if (!keysWritten) {
    keysWritten = true;
    secrets.push(...(await keySecrets()));
  }
  const cert = world.cert;
  const rp = cert?.rp;
  secrets.push(...(cert?.target.secrets?.() ?? []));
  if (rp) secrets.push(...(await rpSecrets(rp, cert.states)));
  await appendToLedger(ledger, secrets);
}

/**
 * Every secret an RP held for some logins: its own (client secret, keys), and each session's
 * tokens, code, PKCE verifier and ID token signatures.
 */
export async function rpSecrets(rp: RelyingParty, states: Iterable<string>): Promise<string[]> {
  const secrets = [...rp.context.secrets()];
  for (const state of new Set(states)) {
    if (!(await rp.context.stateDb.hasState(state))) continue;
    const session = await rp.context.stateDb.getState(state);
    for (const item of [session.auth_response, session.token_response, session.refresh_token_response, session.pkce]) {
      for (const member of TOKEN_MEMBERS) if (typeof item?.[member] === 'string') secrets.push(item[member] as string);
      const signature = signatureOf(item?.['id_token']);
      if (signature) secrets.push(signature);
    }
  }
  return secrets;
}

/** Appends secrets to the ledger, each once and long enough to search for. */
export async function appendToLedger(ledger: string, secrets: readonly string[]): Promise<void> {
  const usable = [...new Set(secrets)].filter((s) => s.length >= 8);
  if (usable.length > 0) await appendFile(ledger, usable.map((s) => `${JSON.stringify(s)}\n`).join(''));
}

/**
 * The secret ledger (../secret-ledger.ts) for the real-provider scenarios and probes: when
 * `OIDC_HARNESS_SECRET_LEDGER` names a file, every secret a scenario handled is appended to it
 * (the target's client secrets and typed values, the RP's secrets, the tokens, codes and PKCE
 * verifiers of its sessions, ID token signatures, what its probes handled), so that a test can
 * search the reports for each and find none.
 */
import { appendFile } from 'node:fs/promises';
import { After } from '@cucumber/cucumber';
import { SECRET_LEDGER_ENV } from '../secret-ledger.js';
import type { HarnessWorld } from '../world.js';
import { LiveScenario } from './live-scenario.js';

const TOKEN_MEMBERS = ['access_token', 'refresh_token', 'code', 'code_verifier', 'client_secret', 'registration_access_token'];

function signatureOf(token: unknown): string | undefined {
  if (typeof token !== 'string') return undefined;
  const parts = token.split('.');
  return parts.length === 3 && parts[2] ? parts[2] : undefined;
}

After({ name: "note the real-provider scenario's secrets, when a ledger is asked for" }, async function (this: HarnessWorld) {
  const ledger = process.env[SECRET_LEDGER_ENV];
  const scenario = LiveScenario.of(this);
  if (!ledger || !scenario) return;
  const secrets = [...scenario.target.secrets(), ...scenario.noted];
  const rp = scenario.rp;
  if (rp) {
    secrets.push(...rp.context.secrets());
    for (const state of new Set([...scenario.states, ...(scenario.state ? [scenario.state] : [])])) {
      if (!(await rp.context.stateDb.hasState(state))) continue;
      const session = await rp.context.stateDb.getState(state);
      for (const item of [session.auth_response, session.token_response, session.refresh_token_response, session.pkce]) {
        for (const member of TOKEN_MEMBERS) if (typeof item?.[member] === 'string') secrets.push(item[member] as string);
        const signature = signatureOf(item?.['id_token']);
        if (signature) secrets.push(signature);
      }
    }
  }
  const usable = [...new Set(secrets)].filter((s) => s.length >= 8);
  if (usable.length > 0) await appendFile(ledger, usable.map((s) => `${JSON.stringify(s)}\n`).join(''));
});

/**
 * The secret ledger (../secret-ledger.ts) for the real-provider scenarios and probes: when
 * `OIDC_HARNESS_SECRET_LEDGER` names a file, every secret a scenario handled is appended to it
 * (the target's client secrets and typed values, the RP's secrets, the tokens, codes and PKCE
 * verifiers of its sessions, ID token signatures, what its probes handled), so that a test can
 * search the reports for each and find none.
 */
import { After } from '@cucumber/cucumber';
import { appendToLedger, rpSecrets, SECRET_LEDGER_ENV } from '../secret-ledger.js';
import type { HarnessWorld } from '../world.js';
import { LiveScenario } from './live-scenario.js';

After({ name: "note the real-provider scenario's secrets, when a ledger is asked for" }, async function (this: HarnessWorld) {
  const ledger = process.env[SECRET_LEDGER_ENV];
  const scenario = LiveScenario.of(this);
  if (!ledger || !scenario) return;
  const secrets = [...scenario.target.secrets(), ...scenario.noted];
  const rp = scenario.rp;
  if (rp) secrets.push(...(await rpSecrets(rp, [...scenario.states, ...(scenario.state ? [scenario.state] : [])])));
  await appendToLedger(ledger, secrets);
});

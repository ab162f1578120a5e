/**
 * The benchmarks, in one run (see bench/README.md):
 *   1. a whole code-flow conversation against the in-process mock OP, this service layer
 *      (`RelyingParty`) against openid-client 6, side by side, after a sanity check that both
 *      refuse an ID token with a corrupted signature, the memory each allocates per conversation, and
 *      the CPU of ours' state store (which openid-client has no counterpart of);
 *   2. ID token verification: `verifyIdToken` against `jose.jwtVerify` alone, same token and key;
 *   3. the certification run (`oidc-harness certify`): whole run, wall and CPU time of every process
 *      of it, and per scenario: with the report (as `npm start`), with it under load (another
 *      process keeping a core busy), with it on two workers (`--jobs 2`), and without it; and its
 *      floor: the same passes with steps that do nothing, then the renderer on their results;
 *   4. logins through a real OP (oidc-provider on loopback) in real Chromium;
 *   5. certify-rp: the Basic plan of a command-mode RP (openid-client) against `certify --profile
 *      basic`, and of browser-mode RPs (Express, a single-page app) per test and phase;
 *   6. sessions: the store operations of one login, the heap after 100,000 logins (1 user and
 *      1,000 users), and what a shared Redis adds per login with 1, 2 and 4 RP instances.
 * Writes bench/results.json and prints a table.
 *
 * Run: `npm run bench -- [--quick] [--no-certification] [--no-browser] [--no-certify-rp] [--no-sessions]`
 * (`node --expose-gc --import tsx bench/run.ts`: the heap figures need the garbage collector exposed)
 *   --quick              shorter rounds, 2 logins, 1 certification run (a smoke test; noisy figures)
 *   --no-certification   skip 3 (its figures are null)
 *   --no-browser         skip 4 (its figures are null)
 *   --no-certify-rp      skip 5 (its figures are null)
 *   --no-sessions        skip 6 (its figures are null)
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { createMockOp, generateOpKeys } from '../mock-op/index.js';
import { RelyingParty, Transport } from '../src/index.js';
import { measureCertification, ROOT, type CertificationFigures, type CertificationOptions } from './lib/certification.js';
import { measureCertificationFloor, type CertificationFloor } from './lib/certification-floor.js';
import { allocatedKibPerOperation } from './lib/allocation.js';
import { stateStoreCpu } from './lib/state-store-cpu.js';
import { measureCertifyRp, type CertifyRpFigures } from './lib/certify-rp.js';
import { bareConversation, followAuthorization, openidClientConversation, oursConversation, REDIRECT_URI, RP_BASE, sanityCheck, type SanityResult } from './lib/conversation.js';
import { idTokenFixture, idTokenSanity, joseVerify, oursVerify } from './lib/id-token.js';
import { measureRealOpLogins, type RealOpFigures } from './lib/real-op.js';
import { heapAfterLogins, realLoginTraffic, redisCost, replayedLoginTraffic, type HeapFigures, type RedisFigures } from './lib/sessions.js';
import type { StoreTraffic } from '../test/fixtures/counting-store.js';
import { compare, Contestant, pairedCpuRatio, pairedRatio, pairedRatioAboveFloor, round, type Measured, type TimingPlan } from './lib/stats.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
// Many short rounds rather than a few long ones: the ratios below are taken round by round.
const CONVERSATION_PLAN: TimingPlan = quick ? { warmupRounds: 1, rounds: 2, roundMs: 500 } : { warmupRounds: 1, rounds: 16, roundMs: 500 };
const ID_TOKEN_PLAN: TimingPlan = quick ? { warmupRounds: 1, rounds: 2, roundMs: 300 } : { warmupRounds: 1, rounds: 10, roundMs: 500 };
const CERTIFICATION_RUNS = quick ? 1 : 2;
const LOGINS = quick ? 2 : 5;

const began = performance.now();
const log = (message: string): void => console.log(`[${((performance.now() - began) / 1000).toFixed(1).padStart(5)} s] ${message}`);
const load1 = (): number => round(loadavg()[0] ?? 0, 2);
const loadAtStart = load1();

// ---------------------------------------------------------------- 1 and 2: against the mock OP
log('generating the mock OP keys');
const keys = await generateOpKeys();
const op = await createMockOp({ issuer: 'https://op.bench.example', keys });
const server = setupServer(...op.handlers);
server.listen({ onUnhandledRequest: 'error' });

// One transport for every RelyingParty, as an application would share one (openid-client has
// nothing to share: it calls the global fetch each time).
const transport = new Transport();
const ours = oursConversation(op, transport);
const openidClient = openidClientConversation(op, { nonRepudiation: true });
const openidClientDefault = openidClientConversation(op, { nonRepudiation: false });
const bare = bareConversation(op);

log('sanity check: each conversation once well-behaved, once with a corrupted ID token signature');
const sanity = {
  ours: await sanityCheck(op, ours),
  openidClient: await sanityCheck(op, openidClient),
  openidClientDefault: await sanityCheck(op, openidClientDefault),
  floor: await sanityCheck(op, bare),
};
const stripOutcome = ({ outcome: _outcome, ...rest }: SanityResult & { outcome?: unknown }): SanityResult => rest;
for (const [name, result] of Object.entries(sanity)) {
  log(`  ${name}: ${result.completes ? 'completes' : 'FAILS'}; bad signature ${result.rejectsBadSignature ? `refused (${result.rejection})` : 'ACCEPTED'}`);
}
if (!sanity.ours.completes || !sanity.openidClient.completes || !sanity.floor.completes) throw new Error('a conversation does not complete against the well-behaved OP: nothing to measure');
if (!sanity.ours.rejectsBadSignature || !sanity.openidClient.rejectsBadSignature) throw new Error('a contestant accepted a corrupted ID token signature: it is not verifying, the comparison would be meaningless');
if (JSON.stringify(sanity.ours.requests) !== JSON.stringify(sanity.openidClient.requests)) {
  log(`  note: the two conversations sent different requests:\n    ours:          ${sanity.ours.requests?.join(' | ')}\n    openid-client: ${sanity.openidClient.requests?.join(' | ')}`);
}
if (JSON.stringify(sanity.ours.outcome?.userinfo) !== JSON.stringify(sanity.openidClient.outcome?.userinfo)) {
  throw new Error('the two conversations ended with different userinfo');
}

log(`conversations: ${CONVERSATION_PLAN.warmupRounds} warm-up + ${CONVERSATION_PLAN.rounds} rounds of ${CONVERSATION_PLAN.roundMs} ms each, interleaved`);
const conversationContestants = [
  new Contestant('ours', ours),
  new Contestant('openid-client', openidClient),
  new Contestant('openid-client default', openidClientDefault),
  new Contestant('floor', bare),
] as const;
const loadAtConversation = load1();
const [oursConv, openidClientConv, openidClientDefaultConv, floorConv] = await compare(
  conversationContestants,
  CONVERSATION_PLAN,
  // Between rounds (outside the timing) the OP forgets codes, tokens and its request log, so
  // its lookups stay the same size; the dynamically registered clients stay.
  () => op.reset(),
) as [Measured, Measured, Measured, Measured];

// What each conversation allocates, garbage included (after the rounds above: warm).
const ALLOCATION_CONVERSATIONS = quick ? 50 : 300;
log(`allocations: ${ALLOCATION_CONVERSATIONS} conversations of each, under the sampling heap profiler`);
const allocatedKib: Record<string, number> = {};
for (const contestant of conversationContestants) {
  op.reset();
  allocatedKib[contestant.name] = await allocatedKibPerOperation(contestant.operation, ALLOCATION_CONVERSATIONS);
}

// What ours spends in its state store, in a pass of its own (its readings are not in the rounds).
const STORE_CONVERSATIONS = quick ? 50 : 500;
log(`state store: ${STORE_CONVERSATIONS} conversations of ours with the store's calls timed`);
op.reset();
const oursStore = await stateStoreCpu(ours, STORE_CONVERSATIONS);

log('ID token verification: fixture from one login through this layer');
op.reset();
const rp = await RelyingParty.create(
  { base_url: RP_BASE, redirect_uris: [REDIRECT_URI], issuer: op.issuer, allow: { unchecked_hosts: [new URL(op.issuer).hostname] }, client_preferences: { response_types: ['code'], token_endpoint_auth_method: ['client_secret_basic'] } },
  { transport },
);
await rp.discover();
await rp.register();
const login = await rp.beginLogin();
const { token } = await rp.finishLogin(await followAuthorization(login.url), login.state);
if (typeof token?.id_token !== 'string') throw new Error('no ID token for the verification benchmark');
const fixture = await idTokenFixture(token.id_token, token.access_token, rp.context, op.jwks);
const idSanity = await idTokenSanity(fixture);
log(`  sanity: ${JSON.stringify(idSanity)}`);
if (!Object.values(idSanity).every(Boolean)) throw new Error('ID token verification sanity check failed');
log(`ID token verification: ${ID_TOKEN_PLAN.warmupRounds} warm-up + ${ID_TOKEN_PLAN.rounds} rounds of ${ID_TOKEN_PLAN.roundMs} ms each`);
const verifyContestants = [new Contestant('verifyIdToken', oursVerify(fixture)), new Contestant('jose.jwtVerify', joseVerify(fixture))] as const;
const loadAtVerify = load1();
const [oursVerifyResult, joseResult] = await compare(verifyContestants, ID_TOKEN_PLAN) as [Measured, Measured];

const storeTraffic = args.has('--no-sessions') ? null : { realLogin: await realLoginTraffic(op, transport), replayedLogin: await replayedLoginTraffic() };

server.close();
await transport.close();

// ---------------------------------------------------------------- 3: the certification run
/** Each way the certification is measured: how it runs, and how many times. */
const CERTIFICATION_VARIANTS: ReadonlyArray<{ name: string; what: string; runs: number; options: CertificationOptions }> = [
  { name: 'withReport', what: 'oidc-harness certify (npm start: the report included)', runs: quick ? 1 : 3, options: { report: true } },
  { name: 'withReportUnderLoad', what: 'the same, with another process keeping a core busy', runs: quick ? 1 : 2, options: { report: true, underLoad: true } },
  { name: 'withReportJobs2', what: 'the same, quiet, on two worker processes (--jobs 2)', runs: quick ? 1 : 2, options: { report: true, jobs: 2 } },
  { name: 'withoutReport', what: 'oidc-harness certify --no-report', runs: CERTIFICATION_RUNS, options: {} },
];
type CertificationResult = (CertificationFigures & { error?: undefined }) | { error: string };
let certification: Record<string, CertificationResult> | null = null;
const loadAtCertification = load1();
if (!args.has('--no-certification')) {
  certification = {};
  for (const variant of CERTIFICATION_VARIANTS) {
    log(`certification: ${variant.runs} run(s) of ${variant.what}`);
    try {
      certification[variant.name] = await measureCertification(variant.runs, variant.options);
    } catch (error) {
      certification[variant.name] = { error: error instanceof Error ? error.message : String(error) };
      log(`  FAILED: ${(certification[variant.name] as { error: string }).error}`);
    }
  }
}

// The floor under it: Cucumber, allure-cucumberjs and the renderer, with every step done by nothing.
let certificationFloor: CertificationFloor | { error: string } | null = null;
if (!args.has('--no-certification')) {
  const runs = quick ? 1 : 3;
  log(`certification floor: ${runs} run(s) of the same passes with no-op steps, then the renderer on their results`);
  try {
    certificationFloor = await measureCertificationFloor(runs);
  } catch (error) {
    certificationFloor = { error: error instanceof Error ? error.message : String(error) };
    log(`  FAILED: ${certificationFloor.error}`);
  }
}

// ---------------------------------------------------------------- 4: a real OP and a real browser
let realOpLogin: RealOpFigures | { error: string } | null = null;
const loadAtRealOp = load1();
if (!args.has('--no-browser')) {
  log(`real OP: start oidc-provider, launch Chromium, ${LOGINS} logins`);
  try {
    realOpLogin = await measureRealOpLogins(LOGINS);
  } catch (error) {
    realOpLogin = { error: error instanceof Error ? error.message : String(error) };
    log(`  FAILED: ${realOpLogin.error}`);
  }
}

// ---------------------------------------------------------------- 5: certify-rp
let certifyRpFigures: CertifyRpFigures | { error: string } | null = null;
const loadAtCertifyRp = load1();
if (!args.has('--no-certify-rp')) {
  log(`certify-rp: ${CERTIFICATION_RUNS} run(s) of each example RP's Basic plan, and certify --profile basic`);
  try {
    certifyRpFigures = await measureCertifyRp(CERTIFICATION_RUNS);
  } catch (error) {
    certifyRpFigures = { error: error instanceof Error ? error.message : String(error) };
    log(`  FAILED: ${certifyRpFigures.error}`);
  }
}

// ---------------------------------------------------------------- 6: sessions
const SESSION_LOGINS = quick ? 10_000 : 100_000;
let sessions: { storeTraffic: { realLogin: StoreTraffic; replayedLogin: StoreTraffic }; heap: HeapFigures[]; redis: RedisFigures | { error: string } } | null = null;
const loadAtSessions = load1();
if (storeTraffic !== null) {
  log(`sessions: ${SESSION_LOGINS.toLocaleString('en-GB')} logins over 36 hours, 1 user then 1,000; then a shared Redis`);
  // 36 hours: a day and a half, so that a third of the sessions have outlived the default lifetime of a day.
  const heap = [await heapAfterLogins(SESSION_LOGINS, 1, 36), await heapAfterLogins(SESSION_LOGINS, 1_000, 36)];
  let redis: RedisFigures | { error: string };
  try {
    redis = await redisCost(quick ? 200 : 2_000);
  } catch (error) {
    redis = { error: error instanceof Error ? error.message : String(error) };
    log(`  Redis FAILED: ${redis.error}`);
  }
  sessions = { storeTraffic, heap, redis };
}

// ---------------------------------------------------------------- results
/** The floor's figures, with what the tools cost together, alone and with a bare conversation per scenario. */
function withBareConversations(floor: CertificationFloor): CertificationFloor & { toolsCpuMs: number; withBareConversationsCpuMs: number } {
  /** What the tools alone cost: Cucumber's run and the renderer's, CPU ms (medians). */
  const toolsCpuMs = floor.cucumber.cpuMs.median + floor.render.cpuMs.median;
  /** The same, with each scenario costing one bare conversation (the conversation's floor: the mock OP and MSW). */
  const withBareConversationsCpuMs = Math.round(toolsCpuMs + floor.scenarios * floorConv.cpuMsPerOp);
  return { ...floor, toolsCpuMs, withBareConversationsCpuMs };
}
const ratio = (a: number, b: number): number => round(a / b, 2);
const results = {
  date: new Date().toISOString(),
  machine: {
    node: process.version,
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    /** The 1-minute load average as each part began: above the number of cores, other work shared the machine. */
    loadAverage1m: { atStart: loadAtStart, conversation: loadAtConversation, idTokenVerify: loadAtVerify, certification: loadAtCertification, realOpLogin: loadAtRealOp, certifyRp: loadAtCertifyRp, sessions: loadAtSessions, atEnd: load1() },
  },
  quick,
  conversation: {
    ours: oursConv,
    openidClient: openidClientConv,
    /** ours / openid-client, conversations per second (both verifying the ID token's signature). */
    ratio: ratio(oursConv.perSecond, openidClientConv.perSecond),
    /** The same ratio round by round (each pair of rounds ran back to back): median and range. */
    pairedRatio: pairedRatio(conversationContestants[0], conversationContestants[1]),
    /** ours / openid-client from CPU time per conversation (openid-client's CPU ms over ours): steadier on a shared machine. */
    cpuRatio: ratio(openidClientConv.cpuMsPerOp, oursConv.cpuMsPerOp),
    /** Ours' CPU per conversation over openid-client's, round by round (below 1: ours is cheaper). */
    pairedCpu: pairedCpuRatio(conversationContestants[0], conversationContestants[1]),
    /** The same for the RP's own share, above the floor measured in the same cycles (below 1: ours is cheaper). */
    pairedRpSideCpu: pairedRatioAboveFloor(conversationContestants[0], conversationContestants[1], conversationContestants[3]),
    /** openid-client as it comes: no signature check on an ID token from the token endpoint. Not a like-for-like contestant. */
    openidClientDefault: openidClientDefaultConv,
    /** The same requests with bare fetch and no checks: the mock OP's and MSW's share of every conversation. */
    floor: floorConv,
    /** What the RP itself costs per conversation: CPU ms above the floor. */
    rpSideCpuMs: {
      ours: round(oursConv.cpuMsPerOp - floorConv.cpuMsPerOp, 3),
      openidClient: round(openidClientConv.cpuMsPerOp - floorConv.cpuMsPerOp, 3),
      openidClientDefault: round(openidClientDefaultConv.cpuMsPerOp - floorConv.cpuMsPerOp, 3),
    },
    /**
     * Ours' state store per conversation (a pass of its own): the state database's calls and the
     * context's saves. `rpSideWithoutStoreCpuMs` is ours' RP-side CPU (above) less both: what the
     * rest of ours costs against openid-client's RP side, which keeps no state.
     */
    stateStore: {
      ...oursStore,
      rpSideWithoutStoreCpuMs: round(oursConv.cpuMsPerOp - floorConv.cpuMsPerOp - oursStore.stateDatabaseCpuMs - oursStore.contextSaveCpuMs, 3),
    },
    /** KiB allocated per conversation, garbage included (the sampling heap profiler's estimate), and above the floor's. */
    allocatedKib: {
      perConversation: allocatedKib,
      aboveFloor: {
        ours: round(allocatedKib['ours']! - allocatedKib['floor']!),
        openidClient: round(allocatedKib['openid-client']! - allocatedKib['floor']!),
      },
      conversations: ALLOCATION_CONVERSATIONS,
    },
    plan: CONVERSATION_PLAN,
    sanity: {
      ours: stripOutcome(sanity.ours),
      openidClient: stripOutcome(sanity.openidClient),
      openidClientDefault: stripOutcome(sanity.openidClientDefault),
      floor: stripOutcome(sanity.floor),
    },
  },
  idTokenVerify: {
    ours: oursVerifyResult,
    joseAlone: joseResult,
    /** ours / jose alone, verifications per second. */
    ratio: ratio(oursVerifyResult.perSecond, joseResult.perSecond),
    pairedRatio: pairedRatio(verifyContestants[0], verifyContestants[1]),
    cpuRatio: ratio(joseResult.cpuMsPerOp, oursVerifyResult.cpuMsPerOp),
    plan: ID_TOKEN_PLAN,
    sanity: idSanity,
  },
  certification,
  certificationFloor: certificationFloor === null || 'error' in certificationFloor ? certificationFloor : withBareConversations(certificationFloor),
  realOpLogin,
  certifyRp: certifyRpFigures,
  sessions,
  totalSeconds: round((performance.now() - began) / 1000),
};
writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

// ---------------------------------------------------------------- table
const rows: Array<[string, string, string]> = [];
const rate = (m: Measured): string => `${m.perSecond}/s (${m.perSecondRange[0]}-${m.perSecondRange[1]})`;
const per = (m: Measured, unit = 'ms'): string => `${m.medianMs} ${unit}, CPU ${m.cpuMsPerOp} ms`;
const conv = results.conversation;
rows.push(['conversation: ours (RelyingParty)', rate(oursConv), per(oursConv)]);
rows.push(['conversation: openid-client 6 (+ signature check)', rate(openidClientConv), per(openidClientConv)]);
rows.push(['  ratio ours / openid-client (per second)', String(conv.ratio), `round by round ${conv.pairedRatio.median} (${conv.pairedRatio.range.join('-')}); by CPU ${conv.cpuRatio}`]);
rows.push(['  openid-client as it comes (no signature check)', rate(openidClientDefaultConv), per(openidClientDefaultConv)]);
rows.push(['  floor: bare fetch, no checks (OP + MSW)', rate(floorConv), per(floorConv)]);
rows.push(['  RP side, CPU ms above the floor', `ours ${conv.rpSideCpuMs.ours}`, `openid-client ${conv.rpSideCpuMs.openidClient} (as it comes ${conv.rpSideCpuMs.openidClientDefault})`]);
const withQuartiles = (r: { median: number; quartiles: [number, number] }): string => `${r.median} (quartiles ${r.quartiles.join('-')})`;
rows.push(['  CPU ours / openid-client, round by round', withQuartiles(conv.pairedCpu), `RP side alone ${withQuartiles(conv.pairedRpSideCpu)}`]);
const kib = conv.allocatedKib;
const store = conv.stateStore;
rows.push(["  ours' state store, CPU per conversation", `${round(store.stateDatabaseCpuMs + store.contextSaveCpuMs, 3)} ms (${store.stateDatabaseCalls} calls, ${store.contextSaves} saves)`, `RP side without it: ours ${store.rpSideWithoutStoreCpuMs} ms, openid-client ${conv.rpSideCpuMs.openidClient} ms`]);
rows.push(['  KiB allocated per conversation', `ours ${kib.perConversation['ours']}, openid-client ${kib.perConversation['openid-client']}`, `floor ${kib.perConversation['floor']}; above it ours ${kib.aboveFloor.ours}, openid-client ${kib.aboveFloor.openidClient}`]);
rows.push(['ID token: verifyIdToken (all checks)', rate(oursVerifyResult), per(oursVerifyResult)]);
rows.push(['ID token: jose.jwtVerify alone', rate(joseResult), per(joseResult)]);
rows.push(['  ratio ours / jose (per second)', String(results.idTokenVerify.ratio), `round by round ${results.idTokenVerify.pairedRatio.median} (${results.idTokenVerify.pairedRatio.range.join('-')}); by CPU ${results.idTokenVerify.cpuRatio}`]);
if (certification) {
  for (const variant of CERTIFICATION_VARIANTS) {
    const c = certification[variant.name];
    if (c === undefined) continue;
    if (c.error !== undefined) {
      rows.push([`certification: ${variant.what}`, 'FAILED', '']);
      continue;
    }
    const verdicts = Object.entries(c.statuses).map(([v, n]) => `${n} ${v}`).join(', ');
    const ms = (m: { median: number; min: number; max: number }): string => `${(m.median / 1000).toFixed(1)} s (${(m.min / 1000).toFixed(1)}-${(m.max / 1000).toFixed(1)})`;
    rows.push([`certification: ${variant.what} (${c.runs} runs)`, `${ms(c.wholeRunMs)}, CPU ${ms(c.cpuMs)}`, `${c.scenarios} scenarios, median ${c.perScenarioMedianMs.median} ms each; ${verdicts}${c.retried.length ? `; ${c.retried.length} failed run(s) retried` : ''}`]);
  }
}
const floorFigures = results.certificationFloor;
if (floorFigures && !('error' in floorFigures)) {
  const cpu = (p: { cpuMs: { median: number } }): string => `${(p.cpuMs.median / 1000).toFixed(1)} s`;
  rows.push([`certification floor: no-op steps (${floorFigures.runs} runs)`, `CPU ${(floorFigures.toolsCpuMs / 1000).toFixed(1)} s`, `Cucumber ${cpu(floorFigures.cucumber)}, renderer ${cpu(floorFigures.render)}; with a bare conversation per scenario ${(floorFigures.withBareConversationsCpuMs / 1000).toFixed(1)} s`]);
} else if (floorFigures) rows.push(['certification floor', 'FAILED', '']);
if (realOpLogin && !('error' in realOpLogin)) {
  rows.push(['real OP: start', `${realOpLogin.opStartMs} ms`, '']);
  rows.push(['real OP: Chromium launch', `${realOpLogin.browserLaunchMs} ms`, '']);
  rows.push([`real OP: browser login (${realOpLogin.logins} logins)`, `${realOpLogin.loginMedianMs} ms (${realOpLogin.loginRangeMs[0]}-${realOpLogin.loginRangeMs[1]})`, `each: ${realOpLogin.loginsMs.join(', ')} ms`]);
  rows.push(['real OP: RP token + userinfo after each login', `${realOpLogin.rpFinishMedianMs} ms (${realOpLogin.rpFinishRangeMs[0]}-${realOpLogin.rpFinishRangeMs[1]})`, '']);
} else if (realOpLogin) rows.push(['real OP', 'FAILED', '']);
if (certifyRpFigures && !('error' in certifyRpFigures)) {
  const f = certifyRpFigures;
  const plan = (name: string, p: CertifyRpFigures['commandMode']): void => {
    rows.push([`certify-rp: ${name}, Basic (${p.tests} tests)`, `${p.wholeMs} ms`, `per test ${p.perTestMedianMs} ms (${p.perTestRangeMs.join('-')}): start ${p.phasesMedianMs.start}, drive ${p.phasesMedianMs.drive}, stop ${p.phasesMedianMs.stop}`]);
  };
  plan('openid-client command', f.commandMode);
  rows.push(['  certify --profile basic (built-in layer)', `${f.certifyBasicMs} ms`, `command-mode plan / certify = ${f.commandOverCertify}`]);
  plan('openid-client command, --jobs 2', f.commandModeJobs2);
  rows.push(['  --jobs 2 plan / certify', String(f.commandJobs2OverCertify), '']);
  plan('express-openid-connect in Chromium', f.browserMode.express);
  plan('single-page app in Chromium', f.browserMode.spa);
  rows.push(['  Chromium launch', `${f.browserLaunchMs} ms`, '']);
} else if (certifyRpFigures) rows.push(['certify-rp', 'FAILED', '']);
if (sessions) {
  const t = sessions.storeTraffic;
  rows.push(['sessions: store operations per login (real)', `${t.realLogin.reads} reads, ${t.realLogin.writes} writes`, `${t.realLogin.bytesRead} B read, ${t.realLogin.bytesWritten} B written; replayed: ${t.replayedLogin.reads} + ${t.replayedLogin.writes}`]);
  for (const h of sessions.heap) {
    rows.push([`sessions: heap after ${h.logins.toLocaleString('en-GB')} logins, ${h.users.toLocaleString('en-GB')} user(s)`, `${h.heapMiB} MiB`, `${h.liveSessions.toLocaleString('en-GB')} live, ${h.keysHeld.toLocaleString('en-GB')} keys, ${h.kibPerLiveSession} KiB each; all expired: ${h.afterExpiry.keysHeld} keys, ${h.afterExpiry.heapMiB} MiB`]);
  }
  if ('error' in sessions.redis) rows.push(['sessions: Redis', 'FAILED', '']);
  else {
    rows.push(['sessions: a login\'s store traffic, memory', `${sessions.redis.memoryMicrosecondsPerLogin} µs`, '']);
    for (const i of sessions.redis.instances) rows.push([`sessions: ... on a shared Redis, ${i.instances} instance(s)`, `${i.microsecondsPerLogin} µs`, `${i.loginsPerSecond} logins/s in all`]);
  }
}

const loads = results.machine.loadAverage1m;
console.log(`\n${results.date}  Node ${process.version}, ${results.machine.cpus} x ${results.machine.model}`);
console.log(`1-min load average at start ${loads.atStart}, conversation ${loads.conversation}, ID token ${loads.idTokenVerify}, certification ${loads.certification}, real OP ${loads.realOpLogin}, certify-rp ${loads.certifyRp}, sessions ${loads.sessions}, end ${loads.atEnd}\n`);
console.log(`${'figure'.padEnd(52)}${'median (range)'.padEnd(32)}one operation, median (or range)`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(52)}${b.padEnd(32)}${c}`);
console.log(`\nwritten: bench/results.json (${results.totalSeconds} s)`);

/**
 * Writes docs/rp-tests.md, the RP test catalogue for readers, from the test definitions
 * (`mock-op/conformance/catalogue.ts`) and the plans made from them, so the document and the tests
 * cannot drift apart (`test/docs/rp-tests.test.ts` checks it is current).
 *
 * Run: `npm run docs`
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFORMANCE_TESTS, displayId, plans, PROFILE_NAMES, testIds, type ConformanceTest, type Profile } from '../mock-op/index.js';

const INTRO = `# The RP test catalogue

Every test the mock OP can run, what the OP does in it, and what a conforming Relying Party does
in return. This file is generated from the test definitions (\`mock-op/conformance/catalogue.ts\`,
one definition per test) by \`npm run docs\`; a test fails when it is out of date.

## Where the tests come from

The tests follow the OpenID Foundation's RP certification, in the project's own words:

- the current conformance suite names its RP tests \`oidcc-client-test-<suffix>\` and groups them in
  test plans per profile (the OpenID Foundation's conformance suite,
  <https://gitlab.com/openid/conformance-suite>, and its RP test plans
  <https://openid.net/certification/connect_rp_testing/>);
- the older RP test tool (\`rp.certification.openid.net\`, the \`oidctest\` project) named them \`rp-*\`
  and served each test as an OP of its own at \`<base>/<rp_id>/<test_id>\`, which this mock OP does too;
- what each test checks is what the specifications demand: OpenID Connect Core 1.0 (ID token
  validation, 3.1.3.7; the implicit and hybrid flows, 3.2 and 3.3; userinfo, 5.3; claims requests,
  5.5; aggregated and distributed claims, 5.6; request objects, 6), OpenID Connect Discovery 1.0
  and WebFinger (RFC 7033), OpenID Connect Dynamic Client Registration 1.0, OAuth 2.0 Form Post
  Response Mode, RP-Initiated, Back-Channel and Front-Channel Logout 1.0, Session Management 1.0,
  RFC 6749 and RFC 6750 (the token and userinfo requests), RFC 7636 (PKCE), RFC 8705 (mTLS endpoint
  aliases) and RFC 9207 (the \`iss\` authorization response parameter).

Either id selects the same test: \`oidcc-client-test-invalid-iss\` and \`rp-id_token-issuer-mismatch\` are
one test. Tests only the older tool had are named here by their older id.

## How a test is judged

From both sides, as the certification suite does: after a response a conforming RP must refuse, the
OP must see no request that depends on it (no token request after a bad ID token from the
authorization endpoint, no userinfo request after a bad one from the token endpoint, no request at
all after a bad discovery document or WebFinger answer). A positive test passes when the requests
that prove the RP did what the test is about are in the OP's log. Where only the RP can tell, its
outcome decides. A test that does not apply to what the RP did is skipped with the reason; a run in
which the RP never met the test's misbehaviour is inconclusive. \`expected\` below says what a
conforming RP does: \`accept\`, \`reject\`, or \`either\` (both pass).
`;

/** Escapes a table cell. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** A table row of a test. */
function row(test: ConformanceTest): string {
  const id = displayId(test);
  const others = testIds(test).filter((t) => t !== id && t !== test.name);
  const expected = test.skipAllowed ? `${test.expected} (refusing is allowed)` : test.expected;
  return `| \`${id}\`${others.length > 0 ? `<br>${others.map((o) => `\`${o}\``).join(' ')}` : ''} | ${cell(test.description)} | ${cell(test.rpDoes)}${test.configure ? `<br>Configure: ${cell(test.configure)}` : ''} | ${expected} |`;
}

/** The whole document. */
export function catalogueMarkdown(): string {
  const parts = [INTRO, '## The plans\n'];
  parts.push('A plan is a profile run with one response type; every test of the plan runs with it.\n');
  parts.push('| plan | response type | tests |\n|---|---|---|');
  for (const plan of plans()) parts.push(`| ${plan.name} | \`${plan.responseType}\`${plan.responseMode ? ` with \`response_mode=${plan.responseMode}\`` : ''} | ${plan.tests.length} |`);
  parts.push('');
  for (const profile of Object.keys(PROFILE_NAMES) as Profile[]) {
    const tests = profile === 'FP' ? CONFORMANCE_TESTS.filter((t) => t.profiles.includes('FP') && !t.profiles.some((p) => p === 'B' || p === 'I' || p === 'H')) : CONFORMANCE_TESTS.filter((t) => t.profiles.includes(profile));
    parts.push(`## ${PROFILE_NAMES[profile]}\n`);
    if (profile === 'FP') parts.push('The Basic, Implicit and Hybrid tests again, each with `response_mode=form_post`, and:\n');
    if (profile === 'X') parts.push('Tests no profile requires: the older tool had them, or only the comprehensive plan does.\n');
    parts.push('| test | the OP | a conforming RP | expected |\n|---|---|---|---|');
    for (const test of tests) parts.push(row(test));
    parts.push('');
  }
  return parts.join('\n');
}

/** Where the document lives. */
export const DOCUMENT = fileURLToPath(new URL('./rp-tests.md', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(DOCUMENT, catalogueMarkdown());
  console.log(`written: ${DOCUMENT}`);
}

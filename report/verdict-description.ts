/**
 * A certification test's verdict as the report page shows it, the same for the built-in service
 * layer's scenarios (`certify`) and for an RP nobody here wrote (`certify-rp`): the verdict and
 * its reason first, then what the test makes the OP do, what a conforming RP does, what this RP
 * did and at which check (with the specification clause, when the check names one); and the
 * labels that sort the test into the report's tree (by profile, then response type) and its
 * categories (by verdict, then check).
 *
 * @module
 */
import type { Label } from 'allure-js-commons';

/** What is known of a test's run. */
export interface VerdictFacts {
  /** `passed`, `failed`, `skipped` or `inconclusive`. */
  readonly verdict: string;
  readonly reason: string;
  /** The test id (`oidcc-client-test-invalid-iss`). */
  readonly test?: string | undefined;
  /** The older tool's ids of the test. */
  readonly legacy?: readonly string[] | undefined;
  /** The plan's profile (`basic`, `form-post`...). */
  readonly profile?: string | undefined;
  readonly responseType?: string | undefined;
  readonly responseMode?: string | null | undefined;
  /** What a conforming RP does: `accept`, `reject` or `either`. */
  readonly expected?: string | undefined;
  /** What the RP did: `accepted`, `refused`, or `null` when it was never driven. */
  readonly outcome?: string | null | undefined;
  /** The check the test is about (the catalogue's), when it has one. */
  readonly testCheck?: string | undefined;
  /** The check at which the RP refused (the built-in service layer names it). */
  readonly refusedAt?: string | null | undefined;
  /** The specification clause of the refusing check, when its error names one. */
  readonly clause?: string | undefined;
  /** What the RP said when it refused. */
  readonly rpSays?: string | undefined;
  /** One line: what the OP does in this test. */
  readonly opDoes?: string | undefined;
  /** One line: what a conforming RP does. */
  readonly rpDoes?: string | undefined;
  /** What to set up in the RP for the test. */
  readonly configure?: string | undefined;
  /** The issuer the RP was given. */
  readonly issuer?: string | undefined;
}

/** Text that comes from elsewhere (an RP's output, an error message), made inert in Markdown. */
export function inert(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~!]/g, (c) => `\\${c}`).replace(/&/g, '&amp;').replace(/\r?\n/g, ' ');
}

/** A check name as code, with its clause beside it when there is one. */
function checkText(check: string, clause: string | undefined): string {
  return `\`${check.replace(/`/g, '')}\`${clause ? ` (${inert(clause)})` : ''}`;
}

/** The check a test run is filed under: the one it is about, else the one at which the RP refused. */
export function checkOf(facts: VerdictFacts): string | undefined {
  return facts.testCheck ?? facts.refusedAt ?? undefined;
}

/** The response type and mode, as the tree's second level shows them (`code`, `id_token form_post`). */
export function responseOf(facts: VerdictFacts): string | undefined {
  if (facts.responseType === undefined) return undefined;
  return facts.responseType + (facts.responseMode ? ` ${facts.responseMode}` : '');
}

/** The Markdown description of a test's run, the verdict first. */
export function verdictMarkdown(facts: VerdictFacts): string {
  const lines = [`**Verdict: ${facts.verdict.toUpperCase()}** — ${inert(facts.reason)}`, ''];
  const item = (name: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') lines.push(`- **${name}:** ${value}`);
  };
  if (facts.outcome === 'refused') {
    item('The RP', `refused${facts.refusedAt ? ` at ${checkText(facts.refusedAt, facts.clause)}` : ''}${facts.rpSays ? `: ${inert(facts.rpSays)}` : ''}`);
  } else if (facts.outcome === 'accepted') {
    item('The RP', 'accepted');
  } else if (facts.outcome === null) {
    item('The RP', 'was never driven through the test');
  }
  item('The OP', facts.opDoes ? inert(facts.opDoes) : undefined);
  item('A conforming RP', facts.rpDoes ? `${inert(facts.rpDoes)}${facts.expected ? ` (expected: ${facts.expected})` : ''}` : facts.expected);
  if (facts.testCheck !== undefined && facts.testCheck !== facts.refusedAt) item('The check the test is about', checkText(facts.testCheck, undefined));
  const test = facts.test ? `\`${facts.test}\`${facts.legacy && facts.legacy.length > 0 ? ` (formerly ${facts.legacy.map((id) => `\`${id}\``).join(', ')})` : ''}` : undefined;
  item('Test', test);
  item('Profile', facts.profile ? `${inert(facts.profile)}${responseOf(facts) ? `, response type \`${responseOf(facts)}\`` : ''}` : undefined);
  item('Configure', facts.configure ? inert(facts.configure) : undefined);
  item('Issuer', facts.issuer ? inert(facts.issuer) : undefined);
  return lines.join('\n');
}

/**
 * The labels of a test's run: `parentSuite` the profile and `subSuite` the response type (the
 * report's tree), `verdict`, `check` and `clause` (its categories), `outcome` and `expected`.
 */
export function verdictLabels(facts: VerdictFacts): Label[] {
  const labels: Label[] = [{ name: 'verdict', value: facts.verdict }];
  const add = (name: string, value: string | null | undefined): void => {
    if (value !== undefined && value !== null && value !== '') labels.push({ name, value });
  };
  add('parentSuite', facts.profile);
  add('subSuite', responseOf(facts));
  add('check', checkOf(facts));
  add('clause', facts.clause);
  add('outcome', facts.outcome ?? (facts.outcome === null ? 'not driven' : undefined));
  add('expected', facts.expected);
  return labels;
}

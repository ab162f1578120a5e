/**
 * Validating configuration against a schema (zod), with every problem reported at once, each
 * naming the setting it is about: `rp.command: expected a list of strings`. The RP's
 * configuration, a live provider's and a certify-rp run's all go through here.
 *
 * @module
 */
import type { z } from 'zod';

/** One problem with a configuration: the setting's dotted path and what is wrong with it. */
export interface SettingProblem {
  /** The setting, as a dotted path from the configuration's root (`rp.browser.timeout_ms`); `(root)` for the whole. */
  readonly setting: string;
  /** What is wrong, in words. */
  readonly message: string;
}

/** The outcome of {@link validateSettings}: the parsed value, or every problem found. */
export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly SettingProblem[] };

/**
 * The dotted path of a zod issue, with list indexes in brackets (`redirect_uris[1]`) and names
 * that are not plain identifiers quoted in brackets (`[""]`, `["a.b"]`), so that every setting,
 * an empty name included, is named unambiguously.
 */
function settingOf(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && !/^[A-Za-z_$][\w$-]*$/.test(part)) out += `[${JSON.stringify(part)}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/** The value at `path` in `input`, or `undefined` when the path does not lead anywhere. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** Words for one zod issue about `input`, naming missing settings and expected types plainly. */
function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code !== 'invalid_type') return issue.message;
  const value = valueAt(input, issue.path);
  // A setting that must not be given (z.never()) says why in its own words.
  if (issue.expected === 'never' && value !== undefined) return issue.message.startsWith('Invalid input') ? 'must not be set' : issue.message;
  if (value === undefined) return `missing: expected ${issue.expected}`;
  const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
  return `expected ${issue.expected}, got ${got}`;
}

/**
 * The problems of a failed parse of `input`, one per issue, unknown keys split into one problem per key so
 * that each names its own setting.
 */
export function settingProblems(error: z.ZodError, input: unknown, prefix = ''): SettingProblem[] {
  const problems: SettingProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ setting: settingOf(prefix, [...issue.path, key]), message: 'unknown setting' });
    } else {
      problems.push({ setting: settingOf(prefix, issue.path), message: describeIssue(issue, input) });
    }
  }
  return problems;
}

/**
 * Parses `input` with `schema`, collecting every problem rather than stopping at the first.
 * `prefix` is put before every setting's path (`config`, say).
 */
export function validateSettings<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): Validated<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: settingProblems(result.error, input, prefix) };
}

/** The problems as lines for a console: `  - rp.command: expected array`. */
export function formatProblems(problems: readonly SettingProblem[]): string {
  return problems.map((p) => `  - ${p.setting}: ${p.message}`).join('\n');
}

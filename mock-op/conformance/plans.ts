/**
 * The certification plans, made from the test definitions: a plan is one profile run with one
 * response type (and response mode), and holds the tests of that profile that run with it, as the
 * OpenID Foundation's RP certification lays out its plans. Form Post is the Basic, Implicit and
 * Hybrid tests again with `response_mode=form_post`, plus its own test; the other profiles use the
 * code flow.
 *
 * @module
 */
import { CONFORMANCE_TESTS } from './catalogue.js';
import type { ConformanceTest, Profile, ResponseType } from './conformance-test.js';

/** The name of each profile, as the command line, the features (`@profile:NAME`) and the reports call it. */
export const PROFILE_NAMES: Readonly<Record<Profile, string>> = Object.freeze({
  B: 'basic',
  I: 'implicit',
  H: 'hybrid',
  FP: 'form-post',
  CNF: 'config',
  DYN: 'dynamic',
  BCL: 'backchannel-logout',
  FCL: 'frontchannel-logout',
  RPI: 'rp-initiated-logout',
  SES: 'session-management',
  '3PI': 'third-party-login',
  RT: 'refresh-token',
  X: 'comprehensive',
});

/** The profile a name stands for, or `undefined`. */
export function profileNamed(name: string): Profile | undefined {
  return (Object.keys(PROFILE_NAMES) as Profile[]).find((p) => PROFILE_NAMES[p] === name);
}

/** The response types each profile runs with (the code flow for the profiles not listed). */
const PROFILE_RESPONSE_TYPES: Partial<Record<Profile, readonly ResponseType[]>> = {
  B: ['code'],
  I: ['id_token', 'id_token token'],
  H: ['code id_token', 'code token', 'code id_token token'],
  FP: ['code', 'id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token'],
};

/** The response types of a profile. */
export function responseTypesOf(profile: Profile): readonly ResponseType[] {
  return PROFILE_RESPONSE_TYPES[profile] ?? ['code'];
}

/** One plan: a profile with one response type (and response mode) and its tests, in the catalogue's order. */
export interface Plan {
  /** The profile. */
  readonly profile: Profile;
  /** The profile's name (`form-post`). */
  readonly name: string;
  /** The response type every test of the plan runs with. */
  readonly responseType: ResponseType;
  /** `form_post` for the Form Post plans; absent for the default response mode. */
  readonly responseMode?: 'form_post';
  /** The tests. */
  readonly tests: readonly ConformanceTest[];
}

/** Whether `test` runs in `profile` with `responseType`: Form Post takes the Basic, Implicit and Hybrid tests. */
function runsIn(test: ConformanceTest, profile: Profile, responseType: ResponseType): boolean {
  if (!test.responseTypes.includes(responseType)) return false;
  if (profile !== 'FP') return test.profiles.includes(profile);
  if (test.profiles.includes('FP')) return true;
  return (['B', 'I', 'H'] as const).some((p) => test.profiles.includes(p) && responseTypesOf(p).includes(responseType));
}

/** Options of {@link plans}. */
export interface PlanOptions {
  /** Profiles, by code or name (default: every profile). */
  readonly profiles?: readonly string[];
  /** Only these response types (default: each profile's own). */
  readonly responseTypes?: readonly ResponseType[];
  /** Only tests one of whose ids is listed (default: every test). */
  readonly tests?: ReadonlySet<ConformanceTest>;
}

/**
 * The plans of the profiles asked for, each response type of a profile a plan, without the plans
 * that hold no test. Throws a `TypeError` for an unknown profile.
 */
export function plans(options: PlanOptions = {}): Plan[] {
  const wanted = (options.profiles ?? Object.values(PROFILE_NAMES)).map((p) => {
    const profile = (PROFILE_NAMES as Record<string, string>)[p] !== undefined ? (p as Profile) : profileNamed(p);
    if (profile === undefined) throw new TypeError(`unknown profile ${JSON.stringify(p)}`);
    return profile;
  });
  const out: Plan[] = [];
  for (const profile of new Set(wanted)) {
    for (const responseType of responseTypesOf(profile)) {
      if (options.responseTypes !== undefined && !options.responseTypes.includes(responseType)) continue;
      const tests = CONFORMANCE_TESTS.filter((t) => runsIn(t, profile, responseType) && (options.tests === undefined || options.tests.has(t)));
      if (tests.length === 0) continue;
      out.push(Object.freeze({ profile, name: PROFILE_NAMES[profile], responseType, ...(profile === 'FP' ? { responseMode: 'form_post' as const } : {}), tests }));
    }
  }
  return out;
}

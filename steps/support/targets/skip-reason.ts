/**
 * A scenario that cannot run says why: the reason goes to the console and JUnit (through the live
 * formatter, which reads the attachment below) and to Allure (a skipped sub-step named with the
 * reason, and the test's description), and the step returns Cucumber's `skipped`, so the scenario
 * is skipped everywhere, never green.
 */
import { AssertionError } from 'node:assert';
import type { World } from '@cucumber/cucumber';
import { OidcError } from '../../../src/index.js';
import { LoginStepError } from '../../../live/login-step-error.js';

/** The file name of a skipped scenario's reason (plain text), which the live formatter reads. */
export const SKIP_REASON_ATTACHMENT = 'why skipped';

/** Allure's runtime messages (allure-js-commons' `ALLURE_RUNTIME_MESSAGE_CONTENT_TYPE`). */
const ALLURE_MESSAGE_MEDIA_TYPE = 'application/vnd.allure.message+json';

/** Thrown by code that finds a scenario cannot run; the step turns it into {@link skipWith}. */
export class CannotRun extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CannotRun';
  }
}

/**
 * Records why the scenario cannot run and returns `'skipped'` for the step to return.
 * @example return skipWith(this, 'the provider offers no end_session_endpoint');
 */
export async function skipWith(world: World, reason: string): Promise<'skipped'> {
  await world.attach(reason, { mediaType: 'text/plain', fileName: SKIP_REASON_ATTACHMENT });
  const now = Date.now();
  const messages = [
    { type: 'metadata', data: { description: `Skipped: ${reason}` } },
    { type: 'step_start', data: { name: `Skipped: ${reason}`, start: now } },
    { type: 'step_stop', data: { status: 'skipped', statusDetails: { message: reason }, stop: now } },
  ];
  for (const message of messages) await world.attach(JSON.stringify(message), ALLURE_MESSAGE_MEDIA_TYPE);
  return 'skipped';
}

/**
 * What the provider (or the RP, facing it) did that the scenario does not accept: a failed
 * verdict, not a broken test. It is an `AssertionError`, which is what reports count as a failure.
 */
export class ProviderFailure extends AssertionError {
  constructor(message: string) {
    super({ message });
  }
}

/** Whether an error says what the provider or the RP did, rather than that the harness broke. */
function isProviderFailure(error: unknown): error is Error {
  return error instanceof LoginStepError || error instanceof OidcError || (error instanceof Error && error.name === 'ScenarioError');
}

/**
 * Runs a step's work; a {@link CannotRun} becomes a skip with its reason, what the provider did
 * becomes a {@link ProviderFailure} with its cause, anything else (the harness itself) is thrown as it is.
 */
export async function orSkip(world: World, work: () => Promise<void>): Promise<'skipped' | undefined> {
  try {
    await work();
    return undefined;
  } catch (error) {
    if (error instanceof CannotRun) return skipWith(world, error.message);
    throw asVerdict(error);
  }
}

/** What the provider did as a failed verdict ({@link ProviderFailure}); the harness's own errors as they are. */
export function asVerdict(error: unknown): unknown {
  return isProviderFailure(error) ? new ProviderFailure(error.message) : error;
}

/** An error of a scenario's operation that says what happened at the provider or the RP (see {@link orSkip}). */
export function scenarioError(message: string): Error {
  const error = new Error(message);
  error.name = 'ScenarioError';
  return error;
}

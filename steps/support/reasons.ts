/**
 * The reasons a conforming RP gives for refusing something, as the features phrase them, and the
 * named check of the service layer that each phrase stands for. A step that says "because its
 * issuer is not the OP's" asserts that the RP failed at `checkIssuer`, and nowhere else.
 *
 * The table is the registry's (`src/checks/registry.ts`): each check lists the phrases the
 * features use for it.
 */
import { reasonPhrases, type CheckName } from '../../src/checks/registry.js';

/** Each phrase the features use after "because", with the check it stands for. */
export const REASONS: Readonly<Record<string, CheckName>> = Object.fromEntries(reasonPhrases());

/** A regular expression matching any of the phrases, for a Cucumber parameter type. */
export const REASON_PATTERN = new RegExp(
  Object.keys(REASONS)
    .sort((a, b) => b.length - a.length)
    .map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
);

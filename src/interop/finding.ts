/**
 * An interop finding: something a provider does that departs from a specification without
 * (necessarily) stopping the conversation, found by looking at the recorded exchanges or by a
 * probe. A finding never fails a test: it is reported beside the verdicts, once per provider and
 * rule, with the scenarios where it was seen.
 * @module
 */

/** One finding. */
export interface Finding {
  /** A stable identifier of the rule (`discovery.missing-metadata`, `registration.status`, ...). */
  id: string;
  /** What was seen, in one sentence. */
  title: string;
  /** The specification clause it departs from (`OpenID Connect Discovery 1.0, 3`). */
  clause: string;
  /** The URL of the exchange it was seen in. */
  url: string;
  /** How strongly the clause asks for what was not done, when it says (`MUST`, `SHOULD`). */
  requirement?: 'MUST' | 'SHOULD' | 'RECOMMENDED';
  /** Non-secret detail. */
  detail?: Record<string, unknown>;
}

/**
 * An interop finding: something a provider does that departs from a specification without
 * (necessarily) stopping the conversation, found by looking at the recorded exchanges.
 * @module
 */

/** One finding. */
export interface Finding {
  /** A stable identifier (`discovery.missing-metadata`, `token.expires-in-string`, ...). */
  id: string;
  /** What was seen, in one sentence. */
  title: string;
  /** The specification clause it departs from (`OpenID Connect Discovery 1.0, 3`). */
  clause: string;
  /** The URL of the exchange it was seen in. */
  url: string;
  /** Non-secret detail. */
  detail?: Record<string, unknown>;
}

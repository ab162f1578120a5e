/**
 * The JWTs in a recorded exchange, decoded for a reader of the report: each one's protected
 * header and, for a signed or unsigned JWT, its claims, with the times among them as dates.
 *
 * It only ever reads text that the one redaction module (`src/transport/redact.ts`) has redacted,
 * and passes it through `redactJwts` once more before it looks, so a signature (or everything of a
 * JWE but its header) is gone before anything is decoded; only the first two parts of a token are
 * ever read. What it decodes is redacted again: members the redaction module names secret
 * (`code`, `access_token`...) and any known secret value.
 *
 * @module
 */
import { redactBody, redactJwts, redactValues } from '../src/transport/redact.js';

/** One JWT found in a text, decoded. */
export interface DecodedJwt {
  /** Where it was: the parameter or member that carried it (`id_token`), else where in the exchange. */
  readonly at: string;
  /** A signed JWT (JWS), an unsigned one (`alg: none`), or an encrypted one (JWE, of which only the header can be read). */
  readonly kind: 'JWS' | 'unsigned JWT' | 'JWE';
  /** The protected header. */
  readonly header: Record<string, unknown>;
  /** The claims (a JWS or an unsigned JWT whose payload is JSON). */
  readonly claims?: Record<string, unknown>;
  /** The time claims (`iat`, `exp`, `nbf`, `auth_time`, `updated_at`) as ISO 8601 dates. */
  readonly times?: Record<string, string>;
}

/** The claims that hold seconds since the epoch. */
const TIME_CLAIMS = ['iat', 'exp', 'nbf', 'auth_time', 'updated_at'] as const;

/**
 * A compact JWT as the redaction module leaves it: a header (base64url of `{"...`, so `eyJ...`),
 * then either `[REDACTED]` (a JWE's other parts) or a payload and an empty or redacted signature.
 * `[REDACTED]` may be URL-encoded (`%5BREDACTED%5D`) when the token sat in a URL.
 */
const TOKEN = /(eyJ[A-Za-z0-9_-]*)\.(?:(\[REDACTED\]|%5BREDACTED%5D)|([A-Za-z0-9_-]+)\.(?:\[REDACTED\]|%5BREDACTED%5D)?)/g;

/** What names a value just before it: a JSON member, a form or query parameter, an HTML input. */
const NAMED_BY = [/"([A-Za-z0-9_.:-]{1,64})"\s*:\s*"$/, /([A-Za-z0-9_.-]{1,64})(?:=|%3D)$/, /name\s*=\s*["']([A-Za-z0-9_.-]{1,64})["'][^<>]{0,64}value\s*=\s*["']$/i];

/** The JSON object a base64url part holds, or `undefined`. */
function jsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A decoded object with its secret members and known secret values taken out again. */
function redactedObject(value: Record<string, unknown>, secrets: readonly string[]): Record<string, unknown> {
  return JSON.parse(redactValues(redactBody(JSON.stringify(value), 'application/json'), secrets)) as Record<string, unknown>;
}

/** The time claims of `claims` as dates, or `undefined` when there are none. */
function timesOf(claims: Record<string, unknown>): Record<string, string> | undefined {
  const times: Record<string, string> = {};
  for (const name of TIME_CLAIMS) {
    const value = claims[name];
    if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 1e11) times[name] = new Date(value * 1000).toISOString();
  }
  return Object.keys(times).length > 0 ? times : undefined;
}

/**
 * Every JWT in `text` (a URL, a header value or a body of a redacted exchange), decoded, with
 * where it was (`where`, e.g. `response body`, combined with the name of the member or parameter
 * that carried it). `secrets` are known secret values to take out of what is decoded.
 */
export function decodeJwts(text: string, where: string, secrets: readonly string[] = []): DecodedJwt[] {
  // Every token TOKEN finds starts so: a text without it (most headers, most bodies) has none.
  if (!text.includes('eyJ')) return [];
  const safe = redactJwts(text);
  const found: DecodedJwt[] = [];
  for (const match of safe.matchAll(TOKEN)) {
    const header = jsonPart(match[1]!);
    if (header === undefined) continue;
    const before = safe.slice(Math.max(0, match.index - 200), match.index);
    const name = NAMED_BY.map((pattern) => pattern.exec(before)?.[1]).find((n) => n !== undefined);
    const at = name === undefined ? where : `${where}: ${name}`;
    if (match[2] !== undefined || typeof header['enc'] === 'string') {
      found.push({ at, kind: 'JWE', header: redactedObject(header, secrets) });
      continue;
    }
    const claims = jsonPart(match[3]!);
    const kind = header['alg'] === 'none' ? 'unsigned JWT' : 'JWS';
    if (claims === undefined) {
      found.push({ at, kind, header: redactedObject(header, secrets) });
      continue;
    }
    const shown = redactedObject(claims, secrets);
    const times = timesOf(shown);
    found.push({ at, kind, header: redactedObject(header, secrets), claims: shown, ...(times ? { times } : {}) });
  }
  return found;
}

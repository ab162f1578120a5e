/**
 * Redaction of recorded HTTP exchanges: the one place where secrets are taken out before an
 * exchange reaches a log, a report or an attachment.
 * @module
 */

/** The text that stands where a secret was. */
export const REDACTED = '[REDACTED]';

/**
 * Parameter and member names whose values are secrets wherever they appear: in a query, a
 * fragment, a form body or a JSON document. JWT-valued parameters such as `id_token` keep their
 * header and claims (a reader wants them) and lose their signature, see {@link redactJwts}.
 */
export const SECRET_NAMES: ReadonlySet<string> = new Set([
  'client_secret',
  'code',
  'code_verifier',
  'access_token',
  'refresh_token',
  'registration_access_token',
  'password',
  'passwd',
  'token',
  'device_code',
  'session_state',
  // private and symmetric key material in a JWK
  'd',
  'p',
  'q',
  'dp',
  'dq',
  'qi',
  'k',
  'oth',
]);

/** Header names whose values are secrets. `Authorization` keeps its scheme. */
const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'dpop',
]);

// A compact JWS: three base64url parts, the first a JSON header (`eyJ`). The signature goes.
// No word boundary before it: in a URL-encoded value (`id_token%3DeyJ...`) a letter precedes it.
const JWS_PATTERN = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+/g;
// A compact JWE: five parts. Only the header stays.
const JWE_PATTERN = /eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){4}/g;

/**
 * Replaces the signature of every compact JWS in `text`, and everything but the protected header
 * of every compact JWE, with {@link REDACTED}. A token without its signature can no longer be
 * replayed, but a reader still sees what it claimed.
 */
export function redactJwts(text: string): string {
  return text
    .replace(JWE_PATTERN, (jwe) => `${jwe.slice(0, jwe.indexOf('.'))}.${REDACTED}`)
    .replace(JWS_PATTERN, (jws) => `${jws.slice(0, jws.lastIndexOf('.'))}.${REDACTED}`);
}

/** Replaces every occurrence of each known secret value in `text`. Values shorter than 4 characters are skipped. */
export function redactValues(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

function redactParams(params: URLSearchParams): boolean {
  let changed = false;
  for (const name of new Set(params.keys())) {
    if (SECRET_NAMES.has(name)) {
      params.set(name, REDACTED);
      changed = true;
      continue;
    }
    // A parameter that carries parameters of its own (the fragment an RP page posts back).
    const value = params.get(name) ?? '';
    if (!value.includes('=')) continue;
    const nested = new URLSearchParams(value.replace(/^[?#]/, ''));
    if ([...nested.keys()].some((key) => SECRET_NAMES.has(key)) && redactParams(nested)) {
      params.set(name, nested.toString());
      changed = true;
    }
  }
  return changed;
}

/** Redacts secret query and fragment parameters of a URL (the `code` in a redirect, say). */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactJwts(url);
  }
  redactParams(parsed.searchParams);
  if (parsed.hash.length > 1) {
    const fragment = new URLSearchParams(parsed.hash.slice(1));
    if (redactParams(fragment)) parsed.hash = fragment.toString();
  }
  return redactJwts(parsed.toString());
}

function redactJsonValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJsonValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      out[key] = SECRET_NAMES.has(key) && member !== null && member !== undefined ? REDACTED : redactJsonValue(member);
    }
    return out;
  }
  return value;
}

/**
 * Redacts a body by its content type: secret members of JSON, secret fields of a form, and in
 * every case the signatures of any JWTs in it. Unknown content is treated as text.
 */
export function redactBody(body: string, contentType: string | undefined): string {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json')) {
    try {
      return redactJwts(JSON.stringify(redactJsonValue(JSON.parse(body))));
    } catch {
      // Not JSON after all: fall through to the text rules.
    }
  }
  if (type.includes('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(body);
    redactParams(params);
    return redactJwts(params.toString());
  }
  // HTML (a form_post page) and anything else: hidden inputs and query-like text.
  return redactJwts(
    body.replace(
      /(name=["']?)([a-z_]+)(["']?[^>]*?value=["'])([^"']*)(["'])/gi,
      (all, a: string, name: string, b: string, _value: string, c: string) =>
        SECRET_NAMES.has(name) ? `${a}${name}${b}${REDACTED}${c}` : all,
    ),
  );
}

/** Redacts secret headers; `Authorization: Basic ...` becomes `Basic [REDACTED]`. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (SECRET_HEADERS.has(name.toLowerCase())) {
      const scheme = /^(Basic|Bearer|DPoP|Digest)\s/i.exec(value)?.[1];
      out[name] = scheme ? `${scheme} ${REDACTED}` : REDACTED;
    } else if (name.toLowerCase() === 'location') {
      out[name] = redactUrl(value);
    } else {
      out[name] = value;
    }
  }
  return out;
}

/**
 * Redacts a whole recorded exchange: URLs, headers and bodies by the rules above, and every known
 * secret value anywhere. Every recording (the transport's, the RP handler's) goes through here.
 */
export function redactExchange<E extends { request: { url: string; headers: Record<string, string>; body?: string }; response?: { headers: Record<string, string>; body: string } }>(
  exchange: E,
  secrets: Iterable<string> = [],
): E {
  const known = [...secrets];
  const scrub = (text: string): string => redactValues(text, known);
  const contentType = (headers: Record<string, string>): string | undefined =>
    Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const scrubHeaders = (headers: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(redactHeaders(headers)).map(([name, value]) => [name, scrub(value)]));
  const { body: requestBody, ...request } = exchange.request;
  return {
    ...exchange,
    request: {
      ...request,
      url: scrub(redactUrl(exchange.request.url)),
      headers: scrubHeaders(exchange.request.headers),
      ...(requestBody === undefined ? {} : { body: scrub(redactBody(requestBody, contentType(exchange.request.headers))) }),
    },
    ...(exchange.response === undefined
      ? {}
      : {
          response: {
            ...exchange.response,
            headers: scrubHeaders(exchange.response.headers),
            body: scrub(redactBody(exchange.response.body, contentType(exchange.response.headers))),
          },
        }),
  };
}

/**
 * Redaction of recorded HTTP exchanges: the one place where secrets are taken out before an
 * exchange reaches a log, a report or an attachment.
 * @module
 */

import { jsonDepth } from '../services/service.js';

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

/** JSON bodies nested deeper than this are redacted whole (their members cannot be walked safely). */
const MAX_REDACTABLE_DEPTH = 200;

/** Header names whose values are secrets. `Authorization` keeps its scheme. */
const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'dpop',
]);

/**
 * Replaces the signature of every compact JWS in `text`, and everything but the protected header
 * of every compact JWE, with {@link REDACTED}. A token without its signature can no longer be
 * replayed, but a reader still sees what it claimed.
 *
 * Linear in the length of the text: it looks at each maximal run of base64url characters and dots
 * once (a token may follow a letter, as in the URL-encoded `id_token%3DeyJ...`).
 */
export function redactJwts(text: string): string {
  // Every JWT's header is base64url JSON, which begins "eyJ": a text without it holds none.
  if (!text.includes('eyJ')) return text;
  return text.replace(/[A-Za-z0-9_.-]{10,}/g, (run) => {
    const parts = run.split('.');
    const header = parts.findIndex((part) => part.includes('eyJ'));
    if (header < 0) return run;
    const rest = parts.length - header;
    // Five parts or more from the header on: a JWE, whose every part but the header goes.
    if (rest >= 5) return `${parts.slice(0, header + 1).join('.')}.${REDACTED}`;
    // Three or four: a JWS, whose signature (and anything after it) goes; an unsigned JWT has none.
    if (rest >= 3 && parts.slice(header + 2).some((part) => part.length > 0)) return `${parts.slice(0, header + 2).join('.')}.${REDACTED}`;
    return run;
  });
}

/**
 * Replaces every occurrence of each known secret value in `text`, as it is, URL-encoded and
 * escaped inside a JSON string. Values shorter than 4 characters are skipped.
 */
export function redactValues(text: string, secrets: Iterable<string>): string {
  return valueRedactor(secrets)(text);
}

/**
 * {@link redactValues} for many texts and the same secrets: the forms of each secret are worked
 * out once, and a text is searched for each before it is split.
 */
function valueRedactor(secrets: Iterable<string>): (text: string) => string {
  const forms: string[] = [];
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    forms.push(...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]));
  }
  return (text) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  };
}

/**
 * An error whose message and stack hold none of `secrets` (see {@link redactValues}): the same
 * error, scrubbed in place, so its class and properties stay; a value that is no Error becomes one.
 */
export function redactError(error: unknown, secrets: Iterable<string>): Error {
  const asError = error instanceof Error ? error : new Error(String(error));
  const known = [...secrets];
  const message = redactValues(asError.message, known);
  if (message !== asError.message) asError.message = message;
  if (asError.stack !== undefined) asError.stack = redactValues(asError.stack, known);
  return asError;
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
    // Not a URL: treat its query and fragment as parameters all the same.
    const hash = url.indexOf('#');
    const beforeHash = hash < 0 ? url : url.slice(0, hash);
    const question = beforeHash.indexOf('?');
    const redactPart = (part: string): string => {
      const params = new URLSearchParams(part);
      return redactParams(params) ? params.toString() : part;
    };
    const base = question < 0 ? beforeHash : `${beforeHash.slice(0, question + 1)}${redactPart(beforeHash.slice(question + 1))}`;
    return redactJwts(hash < 0 ? base : `${base}#${redactPart(url.slice(hash + 1))}`);
  }
  redactParams(parsed.searchParams);
  // A password in the URL's userinfo (https://user:password@host/) is a secret like any other.
  if (parsed.password !== '') parsed.password = REDACTED;
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
    // Too deep to walk safely: nothing of it is kept rather than risk keeping a secret.
    if (jsonDepth(body) > MAX_REDACTABLE_DEPTH) return `${REDACTED} (a JSON body nested more than ${MAX_REDACTABLE_DEPTH} levels)`;
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
  // HTML (a form_post page) and anything else: the values of secret form fields, and JWTs.
  return redactJwts(
    body.replace(/<input\b(?:[^<>"']|"[^"]*"|'[^']*'){0,2000}>/gi, (tag) => {
      const name = /\bname\s*=\s*["']?([A-Za-z_]+)/i.exec(tag)?.[1];
      return name !== undefined && SECRET_NAMES.has(name) ? tag.replace(/(\bvalue\s*=\s*)("[^"]*"|'[^']*'|[^\s>]*)/i, `$1"${REDACTED}"`) : tag;
    }),
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
export function redactExchange<E extends { request: { url: string; headers: Record<string, string>; body?: string }; response?: { headers: Record<string, string>; body: string }; error?: { check: string; message: string } }>(
  exchange: E,
  secrets: Iterable<string> = [],
): E {
  const scrub = valueRedactor(secrets);
  const contentType = (headers: Record<string, string>): string | undefined =>
    Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const scrubHeaders = (headers: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(redactHeaders(headers)).map(([name, value]) => [name, scrub(value)]));
  const { body: requestBody, ...request } = exchange.request;
  return {
    ...exchange,
    ...(exchange.error === undefined ? {} : { error: { check: exchange.error.check, message: scrub(redactUrl(redactJwts(exchange.error.message))) } }),
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

/**
 * Generators of malformed input shared by the property tests: wrong types for every member,
 * objects with keys that trip naive code (`__proto__`, `toString`), values that cannot be turned
 * into a string, huge strings, deep nesting, broken JSON text, odd HTTP responses, and mangled
 * compact JWTs.
 *
 * Huge strings and deep nesting are expensive to build and to parse, so they come with a small
 * weight: every property still meets them a few hundred times in 10,000 runs.
 */
import fc from 'fast-check';
import type { HttpResponse } from '../../src/index.js';

// ---------------------------------------------------------------------------------------------
// Keys and scalar values

/** Member names that an object built with `{}` and `in` or `String()` gets wrong. */
export const NASTY_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'then', '', ' '] as const;
export const nastyKey = fc.constantFrom(...NASTY_KEYS);
/** Any member name, sometimes a nasty one. */
export const anyKey = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...fc.sample(fc.string({ maxLength: 10 }), { numRuns: 200, seed: 7 })) },
  { weight: 1, arbitrary: nastyKey },
);

/**
 * An object as `JSON.parse` builds it from `{"toString":1}`: `String(x)` and `${x}` throw a
 * TypeError on it. Any JSON member can hold one.
 */
export const unprintable: fc.Arbitrary<Record<string, unknown>> = fc
  .constantFrom('{"toString":1}', '{"toString":{},"valueOf":[]}', '{"toString":"x","valueOf":"y"}')
  .map((text) => JSON.parse(text) as Record<string, unknown>);

/** `value` once in `every` draws, else `undefined` (fc.option's `freq` is the other way round). */
export function sometimes<T>(value: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });
}

/** Mostly `good` (six draws in seven), else one of `others`. */
export function mostly<T>(good: T, ...others: T[]): fc.Arbitrary<T> {
  return others.length === 0 ? fc.constant(good) : fc.oneof({ weight: 6, arbitrary: fc.constant(good) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
}

/** Object with the entries given, built as JSON.parse builds it (`__proto__` becomes an own member). */
export function fromEntries(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  return Object.fromEntries(entries);
}

/** A plain object of `value`s under any keys (nasty ones included). */
export function objectOf(value: fc.Arbitrary<unknown>, maxKeys = 4): fc.Arbitrary<Record<string, unknown>> {
  return fc.array(fc.tuple(anyKey, value), { maxLength: maxKeys }).map(fromEntries);
}

export const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, '', ' ', '0', '-1', '1e400', 'null', 'true', '[]', '{}'),
);

// ---------------------------------------------------------------------------------------------
// Huge strings and deep nesting

/** Printable name for a generated value too large to print (fast-check uses it in reports). */
function labelled<T extends object>(value: T, label: string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => label, enumerable: false });
  return value;
}

/** Patterns repeated into huge strings: plain text, escapes, JWT-like and JSON-like fragments. */
export const HUGE_PATTERNS = ['a', 'ab%', '\\u0000', '\u00e9\u{1F600}', '"', 'eyJ.', '{"a":', '=&', ' '] as const;

/** A string of 100 K to 300 K characters. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...HUGE_PATTERNS), fc.integer({ min: 100_000, max: 300_000 }))
  .map(([pattern, length]) => pattern.repeat(Math.ceil(length / pattern.length)));

/** Nesting depths: far beyond what a recursive walk survives (V8's JSON.stringify fails near 5,000). */
export const DEPTHS = [1_000, 3_000, 6_000, 12_000, 20_000] as const;
export const depth = fc.constantFrom(...DEPTHS);

const deepTexts = new Map<string, string>();
/** JSON text nested `n` levels deep: arrays, objects, or both alternating (built once per shape). */
export function deepText(n: number, kind: 'array' | 'object' | 'mixed'): string {
  const key = `${kind}${n}`;
  let text = deepTexts.get(key);
  if (text === undefined) {
    if (kind === 'array') text = `${'['.repeat(n)}${']'.repeat(n)}`;
    else if (kind === 'object') text = `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    else text = `${'{"a":['.repeat(n / 2)}1${']}'.repeat(n / 2)}`;
    deepTexts.set(key, text);
  }
  return text;
}
export const deepJsonText: fc.Arbitrary<string> = fc.tuple(depth, fc.constantFrom('array', 'object', 'mixed') as fc.Arbitrary<'array' | 'object' | 'mixed'>).map(([n, kind]) => deepText(n, kind));

const deepCache = new Map<number, unknown>();
/**
 * A value nested thousands of levels deep (reported as `deep(n)`). Built once per depth and
 * shared: nothing under test may change its input, and building 20,000 levels on every run
 * would cost more than the run itself.
 */
export const deepValue: fc.Arbitrary<unknown> = depth.map((n) => {
  let value = deepCache.get(n);
  if (value === undefined) {
    value = 1;
    for (let i = 0; i < n; i++) value = i % 2 === 0 ? [value] : { a: value };
    labelled(value as object, `deep(${n})`);
    deepCache.set(n, value);
  }
  return value;
});

// ---------------------------------------------------------------------------------------------
// Wrong-typed members and messages

/**
 * A value of the wrong type for any member (numbers, booleans, null, arrays, objects, unprintable
 * objects) but neither deep nor huge. Drawn from a fixed pool of 600 values sampled once, with a
 * fixed seed, from those generators: drawing from a pool costs a microsecond, generating afresh
 * thirty times more, and the properties draw hundreds of thousands of them.
 */
export const shallowWrongValue: fc.Arbitrary<unknown> = fc.constantFrom(
  ...fc.sample(
    fc.oneof(
      { weight: 40, arbitrary: scalar },
      { weight: 18, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }) },
      { weight: 18, arbitrary: objectOf(fc.jsonValue({ maxDepth: 1 }), 3) },
      { weight: 6, arbitrary: unprintable },
    ),
    { numRuns: 600, seed: 20_240_601 },
  ),
);

/** Any value of the wrong type, the hostile ones (unprintable, deep, huge) included. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 90, arbitrary: shallowWrongValue },
  { weight: 6, arbitrary: unprintable },
  { weight: 2, arbitrary: deepValue },
  { weight: 2, arbitrary: hugeString },
);

/** A member's value: mostly the right kind (so accepts happen), else any wrong one. */
export function member(good: fc.Arbitrary<unknown>, goodWeight = 3, wrong: fc.Arbitrary<unknown> = wrongValue): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: goodWeight, arbitrary: good }, { weight: 1, arbitrary: wrong });
}

/** A huge string or a deeply nested value: what one member of a message is, now and then. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(hugeString, deepValue);

/**
 * A message with the members named in `members` (each mostly of the right kind, else of a wrong
 * type) and a few extra members under any key. Members are optional except those in `required`,
 * which are present but for one message in ten that lacks one of them. One message in about 50
 * has one member (known or not) replaced by a huge string or a deeply nested value
 * (`hostile: false` for messages nested in others).
 */
export function messageOf(
  members: Record<string, fc.Arbitrary<unknown>>,
  options: { goodWeight?: number; required?: readonly string[]; wrong?: fc.Arbitrary<unknown>; hostile?: boolean; extra?: boolean } = {},
): fc.Arbitrary<Record<string, unknown>> {
  const wrong = options.wrong ?? shallowWrongValue;
  const names = Object.keys(members);
  const required = options.required ?? [];
  const record = fc.record(
    Object.fromEntries(Object.entries(members).map(([name, good]) => [name, member(good, options.goodWeight, wrong)])),
    { requiredKeys: [...required] },
  );
  const extra = options.extra === false ? fc.constant([] as Array<[string, unknown]>) : fc.array(fc.tuple(anyKey, wrong), { maxLength: 2 });
  const hostileName = names.length > 0 ? fc.oneof(fc.constantFrom(...names), anyKey) : anyKey;
  const hostile = options.hostile === false ? fc.constant(undefined) : sometimes(fc.tuple(hostileName, hostileValue), 50);
  const drop = required.length > 0 ? sometimes(fc.constantFrom(...required), 10) : fc.constant(undefined);
  return fc.tuple(record, extra, hostile, drop).map(([known, more, worst, dropped]) =>
    fromEntries([...more, ...Object.entries(known), ...(worst === undefined ? [] : [worst])].filter(([name]) => name !== dropped)));
}

/**
 * URLs, well formed or not (fast-check's own webUrl costs a second to build, so this is simpler):
 * https and http, hosts, ports, paths, queries and fragments, and broken ones.
 */
export const someUrl: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(
    fc.constantFrom('https://', 'http://', 'HTTPS://', 'ftp://', 'javascript:', '//', ''),
    fc.constantFrom('example.com', 'op.example.com', 'example.org', 'localhost', '127.0.0.1', '[::1]', 'xn--bcher-kva.example', 'ex ample.com', '', 'a@b.example'),
    fc.constantFrom('', ':443', ':8080', ':0', ':99999'),
    fc.constantFrom('', '/', '/authorization', '/a/../b', '/%2e%2e/', '/p%20q'),
    fc.constantFrom('', '?a=1', '?code=x&state=y', '#frag', '#access_token=x'),
  ).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

// ---------------------------------------------------------------------------------------------
// JSON text

const DEEP_MARK = '\u0000DEEP\u0000';

/** JSON text of a value that may hold deep nesting: the deep parts are spliced in as text. */
export function stringify(value: unknown): string {
  const deep: string[] = [];
  const text = JSON.stringify(value, (_key, member: unknown) => {
    if (member !== null && typeof member === 'object') {
      const label = (member as Record<symbol, unknown>)[fc.toStringMethod];
      if (typeof label === 'function') {
        const match = /^deep\((\d+)\)$/.exec(String((label as () => string)()));
        if (match) {
          deep.push(deepText(Number(match[1]), 'mixed'));
          return DEEP_MARK;
        }
      }
    }
    return member;
  });
  if (text === undefined) return 'undefined';
  let i = 0;
  return deep.length === 0 ? text : text.replaceAll(JSON.stringify(DEEP_MARK), () => deep[i++] ?? 'null');
}

type Breaker = (text: string, at: number) => string;
const BREAKERS: Array<[string, Breaker]> = [
  ['truncate', (t, at) => t.slice(0, at % (t.length + 1))],
  ['drop a character', (t, at) => t.slice(0, at % (t.length + 1)) + t.slice((at % (t.length + 1)) + 1)],
  ['insert a quote', (t, at) => `${t.slice(0, at % (t.length + 1))}"${t.slice(at % (t.length + 1))}`],
  ['insert a brace', (t, at) => `${t.slice(0, at % (t.length + 1))}{${t.slice(at % (t.length + 1))}`],
  ['trailing garbage', (t) => `${t} x`],
  ['trailing comma', (t) => t.replace(/}$/, ',}')],
  ['byte order mark', (t) => `\uFEFF${t}`],
  ['single quotes', (t) => t.replaceAll('"', "'")],
  ['two documents', (t) => `${t}${t}`],
  ['lone surrogate', (t, at) => `${t.slice(0, at % (t.length + 1))}\\ud800${t.slice(at % (t.length + 1))}`],
];

/** JSON text that is broken in one of several ways. */
export function brokenJson(message: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.tuple(message, fc.nat(), fc.constantFrom(...BREAKERS)).map(([value, at, [, breaker]]) => breaker(stringify(value), at));
}

/**
 * The body of a response: mostly the JSON text of `message`, else broken JSON, JSON that is not an
 * object, random text, deep nesting, or a huge string.
 */
export function jsonText(message: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 50, arbitrary: message.map(stringify) },
    { weight: 10, arbitrary: brokenJson(message) },
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: deepJsonText },
    { weight: 1, arbitrary: hugeString },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', '[]', '"x"', '1', 'true', '{', '}', '{}', '{"a":1}x', 'NaN', '\u0000') },
  );
}

// ---------------------------------------------------------------------------------------------
// HTTP responses

export const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', ' application/json ', 'application/json;',
  'application/jrd+json', 'application/problem+json', 'application/jwt', 'application/jwt; charset=utf-8',
  'application/jose', 'text/html', 'text/plain', '', ' ; ', 'application/x-www-form-urlencoded', 'application/jsonp', 'json',
  'multipart/form-data; boundary=x', 'application/json, text/html',
] as const;

export const WWW_AUTHENTICATE = [
  'Bearer error="invalid_token"', 'Bearer error="invalid_token", error_description="the token expired"', 'Bearer realm="op"',
  'Bearer error=""', 'error="', 'Bearer error="a\\"b"', 'Basic realm="x"',
] as const;

export const STATUSES = [200, 201, 202, 204, 301, 302, 303, 304, 307, 400, 401, 403, 404, 405, 409, 429, 500, 502, 503] as const;

/** Options of {@link httpResponseOf}. */
export interface HttpOptions {
  /** The status that means success for the service (weighted up). */
  ok?: number[];
  /** The content types that the service accepts (weighted up). */
  types?: readonly string[];
  /** Extra headers to draw from (a Location header, say). */
  headers?: fc.Arbitrary<Record<string, string>>;
}

/** An {@link HttpResponse} as a transport hands it over: any status, content type, `WWW-Authenticate`, body. */
export function httpResponseOf(body: fc.Arbitrary<string>, options: HttpOptions = {}): fc.Arbitrary<HttpResponse> {
  const ok = options.ok ?? [200];
  const types = options.types ?? ['application/json'];
  return fc
    .record({
      status: fc.oneof(
        { weight: 14, arbitrary: fc.constantFrom(...ok) },
        { weight: 3, arbitrary: fc.constantFrom(...STATUSES) },
        { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(0, 99, 600, 999, 200.5, Number.NaN)) },
      ),
      contentType: fc.option(
        fc.oneof({ weight: 14, arbitrary: fc.constantFrom(...types) }, { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }),
        { nil: undefined, freq: 8 },
      ),
      wwwAuthenticate: sometimes(fc.oneof(fc.constantFrom(...WWW_AUTHENTICATE), fc.string({ maxLength: 30 })), 5),
      extra: options.headers ?? fc.constant({}),
      body,
      url: fc.constantFrom('https://example.com/', 'https://example.com/token', 'https://example.org/authz_cb', ''),
    })
    .map(({ status, contentType, wwwAuthenticate, extra, body: text, url }) => ({
      status,
      headers: {
        ...(contentType === undefined ? {} : { 'content-type': contentType }),
        ...(wwwAuthenticate === undefined ? {} : { 'www-authenticate': wwwAuthenticate }),
        ...extra,
      },
      body: text,
      url,
    }));
}

/**
 * Inputs that are not of any declared input type at all (the parser's caller is JavaScript):
 * `null`, `undefined`, numbers, arrays.
 */
export const notAnInput: fc.Arbitrary<unknown> = fc.constantFrom(null, undefined, 0, 42, true, [], ['a'], [{ a: 1 }], Number.NaN);

/** Which way to break JSON text, now and then (one draw in five). */
export type JsonBreak = readonly [number, number];
export const jsonBreak: fc.Arbitrary<JsonBreak | undefined> = sometimes(fc.tuple(fc.nat({ max: BREAKERS.length - 1 }), fc.nat()), 5);
/** `text` broken as `how` says, or as it is. */
export function breakJson(text: string, how: JsonBreak | undefined): string {
  return how === undefined ? text : BREAKERS[how[0]]![1](text, how[1]);
}

/** Bodies that are no JSON object at all. */
export const junkBody: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.constantFrom('', ' ', 'null', '[]', '"x"', '1', 'true', '{', '}', '{}', 'NaN', '\u0000', '<html></html>'),
  deepJsonText,
  hugeString,
);

/**
 * How a message whose content is known only at run time (it names a session, say) is handed to a
 * parser: as an HttpResponse, as body text, as a decoded object, or as something that is no input.
 * JSON text is broken one time in five, and replaced by junk one time in fifteen.
 */
export type InputShape =
  | { kind: 'http'; http: HttpResponse; brk: JsonBreak | undefined; junk: string | undefined }
  | { kind: 'text'; brk: JsonBreak | undefined; junk: string | undefined }
  | { kind: 'object' }
  | { kind: 'value'; value: unknown };

export function inputShape(http: HttpOptions = {}): fc.Arbitrary<InputShape> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('http' as const), http: httpResponseOf(fc.constant(''), http), brk: jsonBreak, junk: sometimes(junkBody, 15) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('text' as const), brk: jsonBreak, junk: sometimes(junkBody, 15) }) },
    { weight: 3, arbitrary: fc.constant({ kind: 'object' as const }) },
    { weight: 1, arbitrary: notAnInput.map((value) => ({ kind: 'value' as const, value })) },
  );
}

/** The input of the given shape that carries `message` (whose JSON text is `text`, when known). */
export function inputFrom(message: unknown, shape: InputShape, text?: string): unknown {
  switch (shape.kind) {
    case 'object': return message;
    case 'value': return shape.value;
    case 'text': return shape.junk ?? breakJson(text ?? stringify(message), shape.brk);
    case 'http': return { ...shape.http, body: shape.junk ?? breakJson(text ?? stringify(message), shape.brk) };
  }
}

// ---------------------------------------------------------------------------------------------
// Compact JWTs

/** Base64url of random bytes. */
export const randomPart: fc.Arbitrary<string> = fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes).toString('base64url'));
/** Base64url of JSON text. */
export const b64json = (value: unknown): string => Buffer.from(stringify(value), 'utf8').toString('base64url');

const B64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

type Mutation = (token: string, at: number, extra: string) => string;
const MUTATIONS: Array<[string, Mutation]> = [
  ['truncate', (t, at) => t.slice(0, at % (t.length + 1))],
  ['flip a character', (t, at) => {
    const i = at % Math.max(t.length, 1);
    const c = t[i] ?? 'A';
    const replacement = B64_CHARS[(B64_CHARS.indexOf(c) + 1 + (at % 63)) % 64] ?? 'A';
    return `${t.slice(0, i)}${replacement === c ? 'A' : replacement}${t.slice(i + 1)}`;
  }],
  ['replace a part with random bytes', (t, at, extra) => {
    const parts = t.split('.');
    parts[at % parts.length] = extra;
    return parts.join('.');
  }],
  ['drop a part', (t, at) => {
    const parts = t.split('.');
    parts.splice(at % parts.length, 1);
    return parts.join('.');
  }],
  ['add a part', (t, _at, extra) => `${t}.${extra}`],
  ['empty signature', (t) => `${t.slice(0, t.lastIndexOf('.'))}.`],
  ['no signature part', (t) => t.slice(0, t.lastIndexOf('.'))],
  ['padding', (t) => t.replaceAll('.', '=.')],
  ['standard base64 characters', (t) => t.replaceAll('-', '+').replaceAll('_', '/')],
  ['whitespace', (t, at) => `${t.slice(0, at % (t.length + 1))} ${t.slice(at % (t.length + 1))}`],
  ['leading and trailing whitespace', (t) => ` \n${t}\t `],
  ['double dot', (t) => t.replace('.', '..')],
  ['non-ASCII', (t, at) => `${t.slice(0, at % (t.length + 1))}\u00e9${t.slice(at % (t.length + 1))}`],
];

/** A token mangled in one of several ways (possibly still valid: the oracle decides, not the label). */
export function mutated(token: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(token, fc.nat(), randomPart, fc.constantFrom(...MUTATIONS)).map(([t, at, extra, [, mutate]]) => mutate(t, at, extra));
}

const deepTokens = new Map<string, string>();

/** Three or five parts of random bytes, or random JSON header and payload with a random signature. */
export const garbageToken: fc.Arbitrary<string> = fc.oneof(
  fc.array(randomPart, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.')),
  fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), randomPart).map(([h, p, s]) => `${b64json(h)}.${b64json(p)}.${s}`),
  fc.tuple(objectOf(wrongValue), objectOf(wrongValue), randomPart).map(([h, p, s]) => `${b64json(h)}.${b64json(p)}.${s}`),
  fc.string({ maxLength: 60 }),
  fc.constantFrom('', '.', '..', '...', '....', 'a.b.c', 'eyJ.eyJ.', 'e30.e30.', 'e30.e30.e30', 'bnVsbA.bnVsbA.', 'W10.W10.', 'IiI.e30.'),
  deepJsonText.map((text) => {
    let token = deepTokens.get(text);
    if (token === undefined) {
      token = `${Buffer.from(text).toString('base64url')}.${Buffer.from(text).toString('base64url')}.`;
      deepTokens.set(text, token);
    }
    return token;
  }),
);

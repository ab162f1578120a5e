/**
 * A scenario's conversation between the browser, the RP and the OP, as the report shows it: who
 * sent each request to whom, named by method, path and status (`RP to OP: POST /token -> 200`),
 * and which exchanges happened while another was being answered (the RP redeems the code while
 * the browser waits for its callback), so that a sequence diagram can draw the protocol.
 *
 * Two sources: the exchanges a Cucumber scenario recorded (the RP's transport, the browser's, the
 * RP's endpoints; redacted when recorded), and the request log of the mock OP in `certify-rp`
 * (redacted by `mock-op/redacted-log.ts`), which knows only requests and their statuses.
 *
 * @module
 */
import type { Exchange } from '../src/index.js';
import type { RedactedRequest } from '../mock-op/redacted-log.js';

/** Who takes part: the user's browser, the relying party, the OpenID provider. */
export type Party = 'browser' | 'RP' | 'OP';

/** One request and its answer (or the failure to get one), between two parties. */
export interface ConversationExchange {
  /** Who sent the request. */
  readonly from: Party;
  /** Who answered it. */
  readonly to: Party;
  readonly method: string;
  /** The request URL, redacted. */
  readonly url: string;
  /** The path shown: relative to the issuer (the OP's) or to the RP's base URL (the RP's), without query or fragment. */
  readonly path: string;
  /** The answer's status, when one came. */
  readonly status?: number | undefined;
  /** Why no (good) answer came: the transport's check name, or the OAuth error the OP answered with. */
  readonly error?: string | undefined;
  /** When the request started, in milliseconds since the epoch, when known. */
  readonly start?: number | undefined;
  /** How long it took, in milliseconds, when known. */
  readonly ms?: number | undefined;
  /** The recorded exchange (redacted), when there is one: the Cucumber scenarios' source. */
  readonly recorded?: Exchange | undefined;
  /** The OP's log entry (redacted), when that is the source: `certify-rp`'s. */
  readonly logged?: RedactedRequest | undefined;
  /**
   * The position at which the exchange completed among the source's records (its index in the
   * recording order): a refusal noted after `n` records happened after the exchanges whose
   * position is below `n`.
   */
  readonly position: number;
}

/** An exchange and the exchanges its receiver made while answering it, oldest first. */
export interface ConversationNode {
  readonly exchange: ConversationExchange;
  readonly children: readonly ConversationNode[];
}

/** Where the parties live, to name paths and tell the RP's URLs from the OP's. */
export interface ConversationContext {
  /** The OP's issuer. */
  readonly issuer?: string | undefined;
  /** The RP's base URL (its endpoints live below it). */
  readonly rpBase?: string | undefined;
  /**
   * Who sends the requests to one of the RP's URLs: the browser (redirects, the front channel) or
   * the OP (the back channel: logout tokens, the RP's keys and request objects); `undefined` when
   * the URL is none of the RP's endpoints. Without it, the path tells.
   */
  readonly rpSender?: ((url: string) => Party | undefined) | undefined;
}

/** The RP's endpoints the OP calls, by their usual paths, for when no `rpSender` is given. */
const BACK_CHANNEL_PATH = /(backchannel|jwks|request)/i;

/** One exchange as a Cucumber scenario recorded it, with who recorded it (`RP to OP`, `browser`, `to the RP`...). */
export interface RecordedExchange {
  readonly who: string;
  readonly exchange: Exchange;
}

/** `url` without query and fragment; `url` itself when it is no URL. */
function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split(/[?#]/)[0] ?? url;
  }
}

/** Whether `url` is below `base` (same origin, path under the base's path). */
function isBelow(url: string, base: string | undefined): boolean {
  if (base === undefined) return false;
  const bare = withoutQuery(url);
  const root = withoutQuery(base).replace(/\/$/, '');
  return bare === root || bare.startsWith(`${root}/`);
}

/** The path of `url` shown for a request to `to`: relative to the issuer or the RP's base URL when below them. */
export function shownPath(url: string, to: Party, context: ConversationContext): string {
  const bare = withoutQuery(url);
  const base = to === 'OP' ? context.issuer : to === 'RP' ? context.rpBase : undefined;
  if (base !== undefined && isBelow(url, base)) return bare.slice(withoutQuery(base).replace(/\/$/, '').length) || '/';
  try {
    return new URL(url).pathname;
  } catch {
    return bare;
  }
}

/** How the exchange ended, as its title and arrows say it: the status, or why there was none. */
export function outcomeOf(exchange: Pick<ConversationExchange, 'status' | 'error'>): string {
  if (exchange.status !== undefined) return exchange.error === undefined ? String(exchange.status) : `${exchange.status} ${exchange.error}`;
  return exchange.error ?? 'no answer';
}

/** The exchange's title: who to whom, method, path and status (`RP to OP: POST /token -> 200`). */
export function exchangeTitle(exchange: ConversationExchange): string {
  return `${exchange.from} to ${exchange.to}: ${exchange.method} ${exchange.path} -> ${outcomeOf(exchange)}`;
}

/** Who sent an exchange that `who` recorded, and to whom (before the RP's own records are matched). */
function partiesOf(who: string, url: string, context: ConversationContext, rpUrls: ReadonlySet<string>): { from: Party; to: Party } {
  const toRp = isBelow(url, context.rpBase) || rpUrls.has(withoutQuery(url));
  if (who === 'browser' || who === 'user agent') return { from: 'browser', to: toRp ? 'RP' : 'OP' };
  if (who === 'OP to RP') return { from: 'OP', to: 'RP' };
  if (who === 'to the RP') return { from: context.rpSender?.(url) ?? (BACK_CHANNEL_PATH.test(withoutQuery(url)) ? 'OP' : 'browser'), to: 'RP' };
  return { from: 'RP', to: 'OP' };
}

/**
 * The exchanges of a Cucumber scenario in the order they completed. The RP's endpoints record
 * every request they answer (`to the RP`); when the browser recorded the same request afterwards,
 * it is one exchange from the browser to the RP (kept once, as the browser saw it, at the RP's
 * position); otherwise the endpoint tells who sent it (`rpSender`): the OP (a back-channel
 * logout, the OP fetching a request object) or a browser that records nothing (Chromium).
 */
export function fromRecorded(records: readonly RecordedExchange[], context: ConversationContext): ConversationExchange[] {
  const rpUrls = new Set(records.filter((r) => r.who === 'to the RP').map((r) => withoutQuery(r.exchange.request.url)));
  const twinOf = new Map<number, number>();
  const twins = new Set<number>();
  records.forEach((record, index) => {
    if (record.who !== 'to the RP') return;
    const { method, url } = record.exchange.request;
    const twin = records.findIndex((other, at) => at > index && !twins.has(at) && (other.who === 'browser' || other.who === 'user agent') && other.exchange.request.method === method && other.exchange.request.url === url);
    if (twin < 0) return;
    twinOf.set(index, twin);
    twins.add(twin);
  });
  const out: ConversationExchange[] = [];
  records.forEach((record, index) => {
    if (twins.has(index)) return;
    const twin = twinOf.get(index);
    const shown = twin === undefined ? record : records[twin]!;
    const parties = twin === undefined ? partiesOf(record.who, record.exchange.request.url, context, rpUrls) : { from: 'browser' as const, to: 'RP' as const };
    const { exchange } = shown;
    const start = Date.parse(exchange.startedAt);
    out.push({
      ...parties,
      method: exchange.request.method,
      url: exchange.request.url,
      path: shownPath(exchange.request.url, parties.to, context),
      status: exchange.response?.status,
      error: exchange.error?.check,
      start: Number.isNaN(start) ? undefined : start,
      ms: exchange.ms,
      recorded: exchange,
      position: index,
    });
  });
  return out;
}

/** The OP endpoints the browser calls (the front channel); the RP calls the others. */
const FRONT_CHANNEL: ReadonlySet<string> = new Set(['authorization', 'end-session', 'check-session', 'browser-state', 'initiate-login']);

/** The requests of the mock OP's log as exchanges with the OP: from the browser at front-channel endpoints, from the RP elsewhere. */
export function fromOpLog(requests: readonly RedactedRequest[], issuer: string | undefined): ConversationExchange[] {
  return requests.map((request, index) => {
    const from: Party = FRONT_CHANNEL.has(request.endpoint) ? 'browser' : 'RP';
    const start = Date.parse(request.time);
    return {
      from,
      to: 'OP' as const,
      method: request.method,
      url: request.url,
      path: shownPath(request.url, 'OP', { issuer }),
      status: request.status,
      error: request.error,
      start: Number.isNaN(start) ? undefined : start,
      logged: request,
      position: index,
    };
  });
}

/**
 * The exchanges as a forest: an exchange holds, as children, the exchanges its receiver sent
 * while answering it. An exchange completes after those it holds, so it takes from the exchanges
 * completed just before it those that its receiver sent and that started no earlier than it did.
 */
export function nest(exchanges: readonly ConversationExchange[]): ConversationNode[] {
  const roots: ConversationNode[] = [];
  for (const exchange of [...exchanges].sort((a, b) => a.position - b.position)) {
    const children: ConversationNode[] = [];
    while (roots.length > 0) {
      const last = roots.at(-1)!.exchange;
      const startedWithin = exchange.start === undefined || last.start === undefined || last.start >= exchange.start;
      if (last.from !== exchange.to || !startedWithin) break;
      children.unshift(roots.pop()!);
    }
    roots.push({ exchange, children });
  }
  return roots;
}

/** The exchanges of a forest in the order they started: each before the exchanges it holds. */
export function inStartOrder(nodes: readonly ConversationNode[]): ConversationExchange[] {
  return nodes.flatMap((node) => [node.exchange, ...inStartOrder(node.children)]);
}

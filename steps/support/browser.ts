import type { HttpResponse, Transport } from '../../src/index.js';

/** One page the simulated browser landed on. */
export interface Page {
  url: string;
  response: HttpResponse;
}

/** An HTML form as a browser would submit it. */
interface HtmlForm {
  action: string;
  method: string;
  fields: URLSearchParams;
}

const decode = (text: string): string =>
  text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  const value = match?.[2] ?? match?.[3] ?? match?.[4];
  return value === undefined ? undefined : decode(value);
}

/** The first form of an HTML page, with its hidden and pre-filled inputs. */
export function firstForm(html: string, baseUrl: string): HtmlForm | undefined {
  const open = /<form\b[^>]*>/i.exec(html);
  if (!open) return undefined;
  const end = html.indexOf('</form>', open.index);
  const body = html.slice(open.index, end === -1 ? undefined : end);
  const fields = new URLSearchParams();
  for (const input of body.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(input, 'name');
    if (name) fields.append(name, attribute(input, 'value') ?? '');
  }
  return {
    action: new URL(attribute(open[0], 'action') ?? baseUrl, baseUrl).toString(),
    method: (attribute(open[0], 'method') ?? 'get').toUpperCase(),
    fields,
  };
}

/**
 * Where a page's script sends the browser on its own: a page whose script assigns
 * `window.location` and that offers a single link to follow (the OP's logout page does so once its
 * iframes have loaded).
 */
function scriptedNavigation(html: string, baseUrl: string): string | undefined {
  if (!/window\.location(\.href)?\s*=/.test(html)) return undefined;
  const links = html.match(/<a\b[^>]*\bhref\s*=[^>]*>/gi) ?? [];
  if (links.length !== 1) return undefined;
  const href = attribute(links[0]!, 'href');
  return href ? new URL(href, baseUrl).toString() : undefined;
}

/** A cookie as the browser keeps it. */
interface StoredCookie {
  name: string;
  value: string;
  /** The host it was set by (host-only cookies: the RP sets no Domain attribute). */
  host: string;
  path: string;
  secure: boolean;
  sameSite: 'strict' | 'lax' | 'none';
  /** When it expires (Date.now() milliseconds); absent: at the end of the browsing session. */
  expires?: number;
}

/** The site of a URL, for SameSite: scheme and registrable domain (the last two labels; an IP literal whole). */
function siteOf(url: URL): string {
  const host = url.hostname;
  const registrable = /^[\d.]+$|^\[/.test(host) ? host : host.split('.').slice(-2).join('.');
  return `${url.protocol}//${registrable}`;
}

/**
 * The browser's cookie jar, as far as OpenID Connect's front channel needs one: host-only cookies
 * with Path, Secure, Max-Age and Expires, and SameSite as browsers apply it (Lax by default):
 * a cross-site request carries Lax cookies only when it is a top-level GET navigation, and
 * Strict cookies never; a SameSite=None cookie must be Secure.
 */
export class CookieJar {
  readonly #cookies: StoredCookie[] = [];

  /** Takes the Set-Cookie header(s) of a response (one per line, as the transport hands them over). */
  store(url: string, setCookie: string | undefined): void {
    if (!setCookie) return;
    const target = new URL(url);
    for (const line of setCookie.split('\n')) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq <= 0) continue;
      const cookie: StoredCookie = { name: pair.slice(0, eq), value: pair.slice(eq + 1), host: target.hostname, path: '/', secure: false, sameSite: 'lax' };
      let maxAge: number | undefined;
      for (const attribute of attributes) {
        const [key = '', ...rest] = attribute.split('=');
        const value = rest.join('=');
        switch (key.toLowerCase()) {
          case 'path': cookie.path = value || '/'; break;
          case 'secure': cookie.secure = true; break;
          case 'samesite': cookie.sameSite = (['strict', 'lax', 'none'].includes(value.toLowerCase()) ? value.toLowerCase() : 'lax') as StoredCookie['sameSite']; break;
          case 'max-age': maxAge = Number(value); break;
          case 'expires': if (maxAge === undefined && !Number.isNaN(Date.parse(value))) cookie.expires = Date.parse(value); break;
          default: break;
        }
      }
      if (maxAge !== undefined) cookie.expires = Date.now() + maxAge * 1000;
      // Browsers refuse a Secure cookie from plain http, a SameSite=None one without Secure, and a __Host- one that is not Secure at Path=/.
      if ((cookie.secure && target.protocol !== 'https:') || (cookie.sameSite === 'none' && !cookie.secure)) continue;
      if (cookie.name.startsWith('__Host-') && (!cookie.secure || cookie.path !== '/')) continue;
      const index = this.#cookies.findIndex((c) => c.name === cookie.name && c.host === cookie.host && c.path === cookie.path);
      if (index !== -1) this.#cookies.splice(index, 1);
      if (cookie.expires === undefined || cookie.expires > Date.now()) this.#cookies.push(cookie);
    }
  }

  /**
   * The Cookie header for a request to `url`, started from a page at `initiator` (none: the user
   * typed it); `topLevelGet` when it is a navigation of the whole page with GET.
   */
  header(url: string, initiator: string | undefined, topLevelGet: boolean): string | undefined {
    const target = new URL(url);
    const sameSite = initiator === undefined || siteOf(new URL(initiator)) === siteOf(target);
    const now = Date.now();
    const sent = this.#cookies.filter((c) =>
      c.host === target.hostname
      && (target.pathname === c.path || target.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      && (!c.secure || target.protocol === 'https:')
      && (c.expires === undefined || c.expires > now)
      && (sameSite || c.sameSite === 'none' || (c.sameSite === 'lax' && topLevelGet)));
    return sent.length === 0 ? undefined : sent.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /** The names of the cookies held for a host (for a step that looks). */
  names(host: string): string[] {
    return this.#cookies.filter((c) => c.host === host && (c.expires === undefined || c.expires > Date.now())).map((c) => c.name);
  }
}

/**
 * A browser without a JavaScript engine, good enough for OpenID Connect's front channel: it
 * follows redirects, loads iframes, submits the auto-posting forms of `response_mode=form_post`,
 * does what the RP's fragment page does (post the fragment back) and follows a page that moves on
 * by script. It keeps cookies as a browser does ({@link CookieJar}): the RP's login cookie goes
 * back to the RP only from this browser. Each page is kept so a step can look at it.
 */
export class SimulatedBrowser {
  readonly #http: Transport;
  /** The pages visited, oldest first. */
  readonly history: Page[] = [];
  /** The cookies this browser holds. */
  readonly cookies = new CookieJar();

  constructor(http: Transport) {
    this.#http = http;
  }

  /** Opens `url` (as if typed) and goes wherever the pages lead, for at most `maxHops` navigations. */
  async open(url: string, maxHops = 10): Promise<Page> {
    let next: { method: 'GET' | 'POST'; url: string; body?: string } = { method: 'GET', url };
    let initiator: string | undefined;
    for (let hop = 0; hop < maxHops; hop += 1) {
      const fragment = next.method === 'GET' ? new URL(next.url).hash.slice(1) : '';
      const target = next.method === 'GET' ? next.url.split('#')[0]! : next.url;
      const cookie = this.cookies.header(target, initiator, next.method === 'GET');
      const cookieHeader: Record<string, string> = cookie === undefined ? {} : { Cookie: cookie };
      const request = next.method === 'GET'
        ? { method: 'GET' as const, url: target, headers: cookieHeader }
        : { method: 'POST' as const, url: target, body: next.body ?? '', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...cookieHeader } };
      const response = await this.#http.send(request);
      this.cookies.store(request.url, response.headers['set-cookie']);
      const page = { url: next.url, response };
      this.history.push(page);
      initiator = request.url;
      const location = response.headers['location'];
      if (response.status >= 300 && response.status < 400 && location) {
        next = { method: 'GET', url: new URL(location, request.url).toString() };
        continue;
      }
      const isHtml = (response.headers['content-type'] ?? '').includes('text/html');
      if (isHtml) await this.#loadFrames(response.body, request.url);
      const scripted = isHtml ? scriptedNavigation(response.body, request.url) : undefined;
      if (scripted) {
        next = { method: 'GET', url: scripted };
        continue;
      }
      const form = isHtml ? firstForm(response.body, request.url) : undefined;
      if (!form) return page;
      // An auto-submitting form: a form_post response, or the RP's page that posts the fragment back.
      if (form.fields.has('url_fragment') && fragment) form.fields.set('url_fragment', fragment);
      else if (form.fields.has('url_fragment')) return page;
      if (!/\.submit\(\)/.test(response.body)) return page;
      next = form.method === 'POST' ? { method: 'POST', url: form.action, body: form.fields.toString() } : { method: 'GET', url: `${form.action}?${form.fields.toString()}` };
    }
    throw new Error(`the browser gave up after ${maxHops} navigations starting at ${url}`);
  }

  /** Loads every iframe of a page, as a browser does (a front-channel logout page, say): not top-level, so cross-site frames get no Lax cookies. */
  async #loadFrames(html: string, baseUrl: string): Promise<void> {
    for (const tag of html.match(/<iframe\b[^>]*>/gi) ?? []) {
      const src = attribute(tag, 'src');
      if (!src) continue;
      const url = new URL(src, baseUrl).toString();
      const cookie = this.cookies.header(url, baseUrl, false);
      const response = await this.#http.send({ method: 'GET', url, ...(cookie === undefined ? {} : { headers: { Cookie: cookie } }) });
      this.cookies.store(url, response.headers['set-cookie']);
      this.history.push({ url, response });
    }
  }

  /** The last page. */
  get current(): Page | undefined {
    return this.history[this.history.length - 1];
  }
}

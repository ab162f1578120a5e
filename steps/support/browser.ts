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

/**
 * A browser without a JavaScript engine, good enough for OpenID Connect's front channel: it
 * follows redirects, loads iframes, submits the auto-posting forms of `response_mode=form_post`,
 * does what the RP's fragment page does (post the fragment back) and follows a page that moves on
 * by script. Each page is kept so a step can look at it.
 */
export class SimulatedBrowser {
  readonly #http: Transport;
  /** The pages visited, oldest first. */
  readonly history: Page[] = [];

  constructor(http: Transport) {
    this.#http = http;
  }

  /** Opens `url` and goes wherever the pages lead, for at most `maxHops` navigations. */
  async open(url: string, maxHops = 10): Promise<Page> {
    let next: { method: 'GET' | 'POST'; url: string; body?: string } = { method: 'GET', url };
    for (let hop = 0; hop < maxHops; hop += 1) {
      const fragment = next.method === 'GET' ? new URL(next.url).hash.slice(1) : '';
      const request = next.method === 'GET'
        ? { method: 'GET' as const, url: next.url.split('#')[0]! }
        : { method: 'POST' as const, url: next.url, body: next.body ?? '', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
      const response = await this.#http.send(request);
      const page = { url: next.url, response };
      this.history.push(page);
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

  /** Loads every iframe of a page, as a browser does (a front-channel logout page, say). */
  async #loadFrames(html: string, baseUrl: string): Promise<void> {
    for (const tag of html.match(/<iframe\b[^>]*>/gi) ?? []) {
      const src = attribute(tag, 'src');
      if (!src) continue;
      const url = new URL(src, baseUrl).toString();
      this.history.push({ url, response: await this.#http.send({ method: 'GET', url }) });
    }
  }

  /** The last page. */
  get current(): Page | undefined {
    return this.history[this.history.length - 1];
  }
}

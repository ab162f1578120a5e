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
 * A browser without a JavaScript engine, good enough for OpenID Connect's front channel: it
 * follows redirects, submits the auto-posting forms of `response_mode=form_post`, and does what the
 * RP's fragment page does (post the fragment back). Each page is kept so a step can look at it.
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
      const form = (response.headers['content-type'] ?? '').includes('text/html') ? firstForm(response.body, request.url) : undefined;
      if (!form) return page;
      // An auto-submitting form: a form_post response, or the RP's page that posts the fragment back.
      if (form.fields.has('url_fragment') && fragment) form.fields.set('url_fragment', fragment);
      else if (form.fields.has('url_fragment')) return page;
      if (!/\.submit\(\)/.test(response.body)) return page;
      next = form.method === 'POST' ? { method: 'POST', url: form.action, body: form.fields.toString() } : { method: 'GET', url: `${form.action}?${form.fields.toString()}` };
    }
    throw new Error(`the browser gave up after ${maxHops} navigations starting at ${url}`);
  }

  /** The last page. */
  get current(): Page | undefined {
    return this.history[this.history.length - 1];
  }
}

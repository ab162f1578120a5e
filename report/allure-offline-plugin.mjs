/**
 * Allure 3's Awesome report as oidc-harness renders it: one self-contained `index.html` (its
 * `singleFile` mode: scripts, styles and every result and attachment inside), that opens from
 * disk and makes no request beyond itself.
 *
 * The Awesome plugin writes a Google Analytics tag into `index.html` and offers no option to
 * leave it out (its `analyticsEnable` is always true; only the Allure 2 plugin reads
 * `ALLURE_NO_ANALYTICS`). This plugin wraps it and, as the page is written, takes the tag out and
 * adds a Content-Security-Policy that allows only what the page carries inside (inline and
 * `data:` scripts and styles, `data:` and `blob:` images, fonts and fetches), so that nothing
 * else it might try reaches the network.
 *
 * The report's title is the run's: the `reportName` of the results' `executor.json` (written by
 * each command, see report/run-info.ts), unless the configuration or `--name` gives one.
 *
 * Plain JavaScript, as the Allure command line loads it without a TypeScript loader.
 *
 * @module
 */
import AwesomePlugin from '@allurereport/plugin-awesome';

/** What the page may load: only what it holds. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline' 'unsafe-eval' data: blob:",
  "style-src 'unsafe-inline' data: blob:",
  'img-src data: blob:',
  'font-src data:',
  'connect-src data: blob:',
  'media-src data: blob:',
  'frame-src data: blob:',
  "object-src 'none'",
  "form-action 'none'",
].join('; ');

/** The Awesome plugin's Google Analytics tag: the loader script and the inline script that configures it. */
const ANALYTICS = /<script async src="https:\/\/www\.googletagmanager\.com\/[^"]*"><\/script>\s*<script>[^<]*?gtag\([^<]*?<\/script>/g;

/** Allure's title when nobody gave one. */
const DEFAULT_NAME = 'Allure Report';

/**
 * Allure's page (its bytes, or its text) without its analytics tag, with the policy first in its
 * head, as bytes. The page is some megabytes of data around a few tags: the tags are found in its
 * Latin-1 reading, where each character is one byte (the tags are ASCII, and no byte of a UTF-8
 * sequence is an ASCII one), and the bytes between them are copied once, never decoded.
 */
export function offlinePage(page) {
  const bytes = typeof page === 'string' ? Buffer.from(page, 'utf8') : page;
  const text = bytes.toString('latin1');
  /** What to do to the bytes, at a byte offset: take `cut` bytes out, put `insert` in. */
  const edits = [];
  const head = /<head>/i.exec(text);
  if (head !== null) edits.push({ at: head.index + head[0].length, cut: 0, insert: `\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">` });
  for (const tag of text.matchAll(ANALYTICS)) edits.push({ at: tag.index, cut: tag[0].length, insert: '' });
  if (edits.length === 0) return bytes;
  edits.sort((a, b) => a.at - b.at);
  const pieces = [];
  let from = 0;
  for (const { at, cut, insert } of edits) {
    pieces.push(bytes.subarray(from, at), Buffer.from(insert, 'utf8'));
    from = at + cut;
  }
  pieces.push(bytes.subarray(from));
  return Buffer.concat(pieces);
}

/**
 * A plugin context that passes everything through but the report's files, the CI it runs on as
 * worked out at the start (`ci`), and, when given, the report's name.
 */
function wrapContext(context, name, ci) {
  const files = context.reportFiles;
  const reportFiles = {
    addFile: (path, data) => files.addFile(path, path === 'index.html' ? offlinePage(data) : data),
  };
  return new Proxy(context, {
    get: (target, property, receiver) => {
      if (property === 'reportFiles') return reportFiles;
      if (property === 'reportName' && name !== undefined) return name;
      if (property === 'ci' && ci !== undefined) return ci;
      return Reflect.get(target, property, receiver);
    },
  });
}

/** The Awesome report, single file, offline, titled by the run. Options are the Awesome plugin's. */
export default class OfflineAwesomePlugin {
  #inner;
  #options;
  /**
   * The CI the report is made on, its getters read once at the start. Outside any CI, Allure's
   * descriptor asks git for the repository and branch each time the page is written (six
   * processes, 50 ms at the end of a run); read at the start, that overlaps the run.
   */
  #ci;

  constructor(options = {}, context = {}) {
    this.#options = { ...options, singleFile: true };
    this.#inner = new AwesomePlugin(this.#options, context);
  }

  async start(context, store) {
    this.#ci = context.ci === undefined ? undefined : { ...context.ci };
    return this.#inner.start(context, store);
  }

  async update(context, store) {
    return this.#inner.update(wrapContext(context, await this.#name(context, store), this.#ci), store);
  }

  async done(context, store) {
    return this.#inner.done(wrapContext(context, await this.#name(context, store), this.#ci), store);
  }

  async info(context, store) {
    return this.#inner.info(wrapContext(context, await this.#name(context, store), this.#ci), store);
  }

  /** The run's title from `executor.json`, when neither the configuration nor the command line named the report. */
  async #name(context, store) {
    if (context.reportName !== DEFAULT_NAME) return undefined;
    const executor = await store.metadataByKey('allure2_executor');
    const name = executor?.reportName;
    return typeof name === 'string' && name !== '' ? name : undefined;
  }
}

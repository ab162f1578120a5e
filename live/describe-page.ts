/**
 * Short descriptions of where the browser is, for error messages: no query strings or
 * fragments (codes, tokens), no form field values (the password).
 */
import type { Page } from 'playwright-core';

/** How much of a page's visible text an error message quotes. */
const TEXT_EXCERPT_CHARS = 200;

/** A URL reduced to origin and path, so codes and tokens stay out of messages. */
export function describeUrl(url: string): string {
  if (!URL.canParse(url)) return url.slice(0, 80);
  const parsed = new URL(url);
  return parsed.protocol === 'http:' || parsed.protocol === 'https:'
    ? `${parsed.origin}${parsed.pathname}`
    : `${parsed.protocol}...`;
}

/**
 * The page's URL (origin and path), its title and the start of its visible text, e.g.
 * `http://127.0.0.1:4000/auth (title "oops! something went wrong": "... invalid_client ...")`.
 * Visible text never includes what was typed into inputs.
 */
export async function describePage(page: Page): Promise<string> {
  const where = describeUrl(page.url());
  try {
    const title = (await page.title()).trim();
    const text = (await page.locator('body').innerText({ timeout: 1_000 })).replace(/\s+/g, ' ').trim();
    const excerpt = text.length > TEXT_EXCERPT_CHARS ? `${text.slice(0, TEXT_EXCERPT_CHARS)}...` : text;
    return `${where} (title "${title}"${excerpt === '' ? '' : `, text "${excerpt}"`})`;
  } catch {
    return where;
  }
}

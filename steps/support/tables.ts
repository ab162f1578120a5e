import type { DataTable } from '@cucumber/cucumber';

/** Preferences whose value is a list even when the table gives a single one. */
const LIST_PREFERENCES = new Set(['contacts', 'response_types', 'grant_types', 'scope', 'redirect_uris', 'post_logout_redirect_uris', 'default_acr_values', 'token_endpoint_auth_method']);

/** Reads a two-column table of client metadata: comma-separated values become lists. */
export function metadataTable(table: DataTable): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(table.rowsHash())) {
    out[name] = value.includes(',') || LIST_PREFERENCES.has(name) ? value.split(',').map((v) => v.trim()).filter(Boolean) : value;
  }
  return out;
}

/** Reads a two-column table whose values are JSON. */
export function jsonTable(table: DataTable): Record<string, unknown> {
  return Object.fromEntries(Object.entries(table.rowsHash()).map(([name, value]) => [name, JSON.parse(value) as unknown]));
}

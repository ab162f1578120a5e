/**
 * The harness's own package: its folder (where package.json, features/ and cucumber.mjs are) and
 * its version, found the same way from the TypeScript sources and from the compiled dist/: the
 * nearest folder above this module whose package.json is oidc-harness's.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The harness's folder. */
export const HARNESS_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'oidc-harness') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('oidc-harness cannot find its own package.json');
    dir = parent;
  }
})();

/** The harness's version, from its package.json. */
export function harnessVersion(): string {
  return (JSON.parse(readFileSync(join(HARNESS_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The run's keys (the mock OPs' and the RPs'), kept between runs: generating them is seven RSA
 * key generations, 1.2 to 1.8 CPU-seconds, about a sixth of a whole certification run. They are
 * test keys of the harness's own OPs and RPs, made by and for this machine, and kept where tools
 * keep their caches: `node_modules/.cache/oidc-harness/` of the folder the run starts in (never in
 * git, never in `reports/`), readable by this user only.
 *
 * `OIDC_HARNESS_KEY_CACHE=off` makes every run generate its own keys; so does a folder without
 * `node_modules`. A cache that cannot be read or does not hold a valid key set is replaced.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The environment variable that turns the cache off (`off`). */
export const KEY_CACHE_ENV = 'OIDC_HARNESS_KEY_CACHE';

/** The cache folder, or `undefined` when keys are not cached. */
function cacheFolder(): string | undefined {
  if (process.env[KEY_CACHE_ENV] === 'off') return undefined;
  const modules = join(process.cwd(), 'node_modules');
  return existsSync(modules) ? join(modules, '.cache', 'oidc-harness') : undefined;
}

/**
 * Keys by name: read from the cache (`load` turns the JSON back into keys, and throws on anything
 * else), or made by `make`, written to the cache as `save` gives them, and returned.
 */
export async function cachedKeys<T>(name: string, make: () => Promise<T>, save: (keys: T) => Promise<unknown> | unknown, load: (stored: unknown) => Promise<T>): Promise<T> {
  const folder = cacheFolder();
  if (folder === undefined) return make();
  const file = join(folder, `${name}.json`);
  try {
    return await load(JSON.parse(await readFile(file, 'utf8')) as unknown);
  } catch {
    // No cache yet, or one that is damaged or of another version: make the keys afresh.
  }
  const keys = await make();
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    // Written whole, then renamed: two runs starting at once (Cucumber's workers) never read half a file.
    const partial = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(partial, JSON.stringify(await save(keys)), { mode: 0o600 });
    await rename(partial, file);
  } catch {
    // A cache that cannot be written only costs the next run the generation again.
  }
  return keys;
}

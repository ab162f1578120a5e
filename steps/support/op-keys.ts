import type { OpKeys } from '../../mock-op/index.js';
import { generateOpKeys } from '../../mock-op/index.js';
import { exportOpKeys, importOpKeys } from '../../mock-op/keys.js';
import { cachedKeys } from './key-cache.js';

let keys: Promise<OpKeys> | undefined;

/**
 * The mock OPs' keys: made once per run (RSA generation is slow), or taken from the key cache of
 * an earlier run (see key-cache.ts), and shared by every scenario.
 */
export function sharedOpKeys(): Promise<OpKeys> {
  keys ??= cachedKeys('op-keys', () => generateOpKeys(), exportOpKeys, importOpKeys);
  return keys;
}

import type { OpKeys } from '../../mock-op/index.js';
import { generateOpKeys } from '../../mock-op/index.js';

let keys: Promise<OpKeys> | undefined;

/** The mock OPs' keys: generated once per run (RSA generation is slow) and shared by every scenario. */
export function sharedOpKeys(): Promise<OpKeys> {
  keys ??= generateOpKeys();
  return keys;
}

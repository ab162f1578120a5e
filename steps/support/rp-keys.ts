import { type JsonWebKeyWithKid } from '../../src/index.js';
import { KeyJar } from '../../src/key-jar.js';

let keys: Promise<JsonWebKeyWithKid[]> | undefined;

/**
 * The RPs' own private keys (RS256 and ES256 signing, RSA-OAEP encryption): generated once per run,
 * since RSA generation is slow, and imported by every scenario's RP.
 */
export function sharedRpKeys(): Promise<JsonWebKeyWithKid[]> {
  keys ??= (async () => {
    const jar = new KeyJar();
    await jar.generateOwnKeys(['RS256', 'ES256', 'RSA-OAEP']);
    return jar.exportOwnKeys();
  })();
  return keys;
}

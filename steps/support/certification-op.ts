import type { ConformanceOp, StaticClient } from '../../mock-op/index.js';
import { sharedOpKeys } from './op-keys.js';

/** Where the certification OP lives: every test is an issuer `<base>/<rp_id>/<test_id>` below it. */
export const CERTIFICATION_OP_BASE = 'https://op.example';

let op: Promise<ConformanceOp> | undefined;
const staticClients = new Map<string, StaticClient>();

/**
 * The run's one certification OP (the mock OP serving every catalogue test at once), created on
 * first use with the run's shared keys.
 */
export function certificationOp(): Promise<ConformanceOp> {
  op ??= (async () => {
    const { createConformanceOp } = await import('../../mock-op/index.js');
    return createConformanceOp({
      base: CERTIFICATION_OP_BASE,
      keys: await sharedOpKeys(),
      clients: (rpId) => {
        const client = staticClients.get(rpId);
        return client ? [client] : [];
      },
    });
  })();
  return op;
}

/** Registers a client statically for the OPs of one rp_id (the Config profile's statically configured RP). */
export function registerStaticClient(rpId: string, client: StaticClient): void {
  staticClients.set(rpId, client);
}

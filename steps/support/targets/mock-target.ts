import type { ClientMetadata, RpHandler, Transport } from '../../../src/index.js';
import type { ConformanceOp, ConformanceTest, LoggedRequest, Provider } from '../../../mock-op/index.js';
import { SimulatedBrowser } from '../browser.js';
import { certificationOp, registerStaticClient } from '../certification-op.js';
import type { OpTarget, StaticClientConfig } from './op-target.js';

/** Where the scenarios' RPs live when the OP is the in-process mock. */
export const RP_ORIGIN = 'https://rp.example';

let scenarios = 0;

/**
 * The certification mock OP, in-process through MSW, running one catalogue test; the RP's
 * endpoints are served in-process too, and a simulated browser plays the user.
 */
export class MockTarget implements OpTarget {
  readonly kind = 'mock' as const;
  readonly allowHttp = false;
  readonly issuer: string;
  readonly rpBase: string;
  readonly test: ConformanceTest;
  /** The rp_id path segment, unique to the scenario, so the scenario has its own OP instance. */
  readonly rpId: string;
  readonly #op: ConformanceOp;
  readonly #testId: string;
  readonly #browser: SimulatedBrowser;

  private constructor(op: ConformanceOp, testId: string, browserHttp: Transport) {
    scenarios += 1;
    this.#op = op;
    this.#testId = testId;
    this.test = op.testFor(testId);
    this.rpId = `rp${scenarios}`;
    this.issuer = op.issuerFor(this.rpId, testId);
    this.rpBase = `${RP_ORIGIN}/${this.rpId}`;
    this.#browser = new SimulatedBrowser(browserHttp);
  }

  /** A mock target running the catalogue test `testId`; `browserHttp` carries the browser's requests. */
  static async create(testId: string, browserHttp: Transport): Promise<MockTarget> {
    return new MockTarget(await certificationOp(), testId, browserHttp);
  }

  /** @inheritDoc */
  webfingerIdentifier(kind: 'acct:' | 'URL'): string {
    return kind === 'acct:' ? `acct:${this.rpId}.${this.#testId}@${new URL(this.issuer).host}` : this.issuer;
  }

  /** @inheritDoc */
  async serve(handler: RpHandler): Promise<void> {
    const { http } = await import('msw/core/http');
    const { serve } = await import('../msw-server.js');
    const below = `${this.rpBase}/`;
    await serve([...this.#op.handlers, http.all(({ request }) => request.url.startsWith(below), async ({ request }) => handler.handle(request))]);
  }

  /** @inheritDoc */
  async browse(url: string): Promise<string[]> {
    const before = this.#browser.history.length;
    await this.#browser.open(url);
    return this.#browser.history.slice(before).map((page) => page.url);
  }

  /** @inheritDoc */
  pages(): Array<{ url: string; status: number }> {
    return this.#browser.history.map((page) => ({ url: page.url, status: page.response.status }));
  }

  /** @inheritDoc */
  opRequests(): LoggedRequest[] {
    return this.#op.requestsFor(this.rpId, this.#testId).all();
  }

  /** @inheritDoc */
  provider(): Provider {
    return this.#op.opFor(this.rpId, this.#testId);
  }

  /** @inheritDoc */
  async staticClient(behaviour: ClientMetadata, redirectUris: string[], jwksUri: string, postLogoutUris: string[]): Promise<StaticClientConfig> {
    const client_id = `${this.rpId}-static`;
    const client_secret = `${this.rpId}-secret-${'x'.repeat(32)}`;
    registerStaticClient(this.rpId, { client_id, client_secret, redirect_uris: redirectUris, jwks_uri: jwksUri, post_logout_redirect_uris: postLogoutUris, ...behaviour });
    return { client_id, client_secret, behaviour };
  }

  /** @inheritDoc */
  async release(): Promise<void> {}
}

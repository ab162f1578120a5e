/**
 * The log of every request an OP received, for assertions about what the RP under test sent.
 *
 * @module
 */
import type { EndpointName } from './endpoint-paths.js';

/** One request received by the OP. */
export interface LoggedRequest {
  /** HTTP method, upper case. */
  readonly method: string;
  /** The full request URL. */
  readonly url: string;
  /**
   * The path (with query) relative to the issuer, e.g. `/token`; for WebFinger, which lives at the
   * host root, the path from the root (`/.well-known/webfinger?resource=...`).
   */
  readonly path: string;
  /** The endpoint that answered. */
  readonly endpoint: EndpointName;
  /** True when the request came through a mutual-TLS endpoint alias (`<issuer>/mtls/...`). */
  readonly mtlsAlias?: boolean;
  /** Request headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The request body as text (empty when there was none). */
  readonly body: string;
  /** When the request was received. */
  readonly time: Date;
  /** The status of the OP's response, once it has been produced. */
  status?: number;
  /**
   * The OAuth error the OP answered with (a JSON error, an error page, an error authorization
   * response), once the response has been produced; absent for a successful answer.
   */
  error?: string;
}

/** An append-only (until cleared) list of {@link LoggedRequest}s. */
export class RequestLog {
  readonly #entries: LoggedRequest[] = [];

  /** Records a request. */
  add(entry: LoggedRequest): void {
    this.#entries.push(entry);
  }

  /** All entries, oldest first (a copy). */
  all(): LoggedRequest[] {
    return [...this.#entries];
  }

  /** The entries of one endpoint, oldest first. */
  forEndpoint(endpoint: EndpointName): LoggedRequest[] {
    return this.#entries.filter((e) => e.endpoint === endpoint);
  }

  /** The most recent entry, optionally of one endpoint. */
  last(endpoint?: EndpointName): LoggedRequest | undefined {
    const list = endpoint === undefined ? this.#entries : this.forEndpoint(endpoint);
    return list[list.length - 1];
  }

  /** The number of entries. */
  get length(): number {
    return this.#entries.length;
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries.length = 0;
  }

  /** Iterates over the entries, oldest first. */
  [Symbol.iterator](): Iterator<LoggedRequest> {
    return this.all()[Symbol.iterator]();
  }
}

/**
 * Loads the `oidc-provider` package lazily, without its one-off "Unsupported runtime" notice.
 *
 * oidc-provider 9 prints `oidc-provider WARNING: Unsupported runtime. Use Node.js v22.x LTS, ...`
 * through `console.warn` (not `process.emitWarning`) once, when its entry module is evaluated
 * on Node 20. It works on Node 20 (the tests run it there), so that single line is dropped; every other
 * console output, including its other warnings, passes through untouched.
 *
 * The package has no type declarations: the small part this project uses is described here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The part of an oidc-provider `Provider` (itself a Koa application) that the local OP uses. */
export interface OidcProviderInstance {
  /** A `node:http` request listener serving every OP endpoint. */
  callback(): (req: IncomingMessage, res: ServerResponse) => unknown;
  /** Subscribes to a provider event, e.g. `server_error` with `(ctx, error)`. */
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** oidc-provider's `Provider` class: `new Provider(issuer, configuration)`. */
export type OidcProviderConstructor = new (
  issuer: string,
  configuration: Record<string, unknown>,
) => OidcProviderInstance;

/** The text that identifies the runtime notice to drop. */
const UNSUPPORTED_RUNTIME_NOTICE = 'Unsupported runtime. Use Node.js';

let loading: Promise<OidcProviderConstructor> | undefined;

/**
 * Imports oidc-provider once per process and returns its `Provider` class.
 * While the import runs, `console.warn` drops the "Unsupported runtime" notice only.
 */
export function loadOidcProvider(): Promise<OidcProviderConstructor> {
  loading ??= importQuietly();
  return loading;
}

async function importQuietly(): Promise<OidcProviderConstructor> {
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]): void => {
    if (typeof args[0] === 'string' && args[0].includes(UNSUPPORTED_RUNTIME_NOTICE)) return;
    originalWarn.apply(console, args);
  };
  try {
    // A non-literal specifier: the package ships no types, so TypeScript types the import as
    // `any` instead of failing; the shape is checked just below and described by the interfaces.
    const specifier: string = 'oidc-provider';
    const imported: { Provider?: unknown } = await import(specifier);
    if (typeof imported.Provider !== 'function') {
      throw new Error('oidc-provider did not export a Provider class (is oidc-provider 9 installed?)');
    }
    return imported.Provider as OidcProviderConstructor;
  } finally {
    console.warn = originalWarn;
  }
}

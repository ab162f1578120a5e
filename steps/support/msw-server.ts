import type { RequestHandler } from 'msw';
import type { SetupServer } from 'msw/node';

let server: SetupServer | undefined;

/**
 * The one in-process MSW server of the run, started on first use (msw is imported only when a
 * scenario needs a mock OP). Unhandled requests fail loudly, but for loopback.
 */
export async function mswServer(): Promise<SetupServer> {
  if (!server) {
    const { setupServer } = await import('msw/node');
    const created = setupServer();
    // Loopback goes through (a local OP, the RP's listener); anything else unhandled is an error,
    // so nothing leaves the process by accident.
    created.listen({
      onUnhandledRequest: (request, print) => {
        if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(request.url).hostname)) print.error();
      },
    });
    server = created;
  }
  return server;
}

/** Serves `handlers` for the current scenario (in front of any others). */
export async function serve(handlers: RequestHandler[]): Promise<void> {
  (await mswServer()).use(...handlers);
}

/** Drops the scenario's handlers. */
export function resetHandlers(): void {
  server?.resetHandlers();
}

/** Stops the server at the end of the run. */
export function closeMswServer(): void {
  server?.close();
  server = undefined;
}

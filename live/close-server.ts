/** Stopping a loopback HTTP server at once. */
import type { Server } from 'node:http';

/** Stops `server` and drops its open connections, so its port is free when the promise settles. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

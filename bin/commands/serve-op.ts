/**
 * `oidc-harness serve-op`: the certification mock OP as a real server, for someone driving an RP
 * by hand.
 *
 * @module
 */
import { EXIT, parseCommandArgs, UsageError, type Command } from '../shared.js';

const HELP = `Usage: oidc-harness serve-op [--port N] [--host ADDR]

Serves the certification mock OP until stopped (Ctrl-C): every catalogue test at
http://HOST:PORT/<rp_id>/<test_id>, for a browser or an RP of any language.

Options:
      --port N      the port (default 8080; 0 picks a free one)
      --host ADDR   the interface to listen on (default 127.0.0.1)
  -h, --help        this text`;

async function serveOp(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } });
  if (values.help) {
    console.log(HELP);
    return EXIT.passed;
  }
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '8080') || !Number.isInteger(port) || port > 65535) throw new UsageError(`--port must be a port number (0 to 65535), not ${JSON.stringify(values.port)}`);
  const { startMockOpServer } = await import('../../mock-op/server.js');
  let server;
  try {
    server = await startMockOpServer({ port, host: values.host });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} on ${values.host} is already in use: choose another with --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${values.host}: no such interface here`);
    if (code === 'EACCES') throw new UsageError(`not allowed to listen on port ${port}: choose a port above 1023`);
    throw error;
  }
  console.log(`mock OP listening at ${server.url}`);
  console.log(`example issuer: ${server.url}/oicrp/oidcc-client-test (any test id of the catalogue in place of oidcc-client-test)`);
  console.log(`discovery: ${server.url}/oicrp/oidcc-client-test/.well-known/openid-configuration`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return EXIT.passed;
}

/** The `serve-op` command. */
export const serveOpCommand: Command = { name: 'serve-op', summary: 'serve the certification mock OP on loopback', help: HELP, run: serveOp };

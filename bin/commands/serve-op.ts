/**
 * `oidc-harness serve-op`: the certification mock OP as a real server, for someone driving an RP
 * by hand: a line per request on the console, an index of the plans and tests at `/`, and per test
 * a log page with the verdict.
 *
 * @module
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, parseCommandArgs, UsageError, type Command } from '../command.js';

const HELP = `Usage: oidc-harness serve-op [--port N] [--host ADDR] [--tls] [--public-base URL]

Serves the certification mock OP until stopped (Ctrl-C), for a browser or an RP of any language:
every test at http://HOST:PORT/<rp_id>/<test_id> (pick an rp_id of your own), the issuer following
the host your RP uses (localhost or 127.0.0.1). It prints a line per request. Open
http://HOST:PORT/ for the plans and their tests (what each expects of the RP, what to configure),
and http://HOST:PORT/logs/<rp_id>/<test_id> for what the OP saw in a test and its verdict.

Options:
      --port N            the port (default 8080; 0 picks a free one)
      --host ADDR         the interface to listen on (default 127.0.0.1; 0.0.0.0 for every one)
      --tls               https, with a certificate authority made for this run (its PEM file is printed)
      --public-base URL   the base URL RPs reach the OP at, when it is not the address listened on
  -h, --help              this text`;

/** A console line for a request the OP answered. */
function requestLine(issuer: string, entry: { method: string; endpoint: string; status?: number | undefined; error?: string | undefined }): string {
  const test = new URL(issuer).pathname.slice(1);
  return `${new Date().toISOString().slice(11, 23)} ${test} ${entry.method} ${entry.endpoint} -> ${entry.status ?? '?'}${entry.error ? ` ${entry.error}` : ''}`;
}

async function serveOp(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' }, tls: { type: 'boolean' }, 'public-base': { type: 'string' } });
  if (values.help) {
    console.log(HELP);
    return EXIT.passed;
  }
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '8080') || !Number.isInteger(port) || port > 65535) throw new UsageError(`--port must be a port number (0 to 65535), not ${JSON.stringify(values.port)}`);
  const publicBase = values['public-base'];
  if (publicBase !== undefined && !URL.canParse(publicBase)) throw new UsageError(`--public-base must be a URL, not ${JSON.stringify(publicBase)}`);
  const { startMockOpServer } = await import('../../mock-op/server.js');
  const { harnessPages } = await import('../../mock-op/pages.js');
  let tls: { cert: string; key: string } | undefined;
  let caFile: string | undefined;
  if (values.tls) {
    const { createRunAuthority } = await import('../../mock-op/tls.js');
    const hosts = ['localhost', '127.0.0.1', '::1', ...(values.host === '127.0.0.1' ? [] : [values.host]), ...(publicBase ? [new URL(publicBase).hostname] : [])];
    const authority = await createRunAuthority([...new Set(hosts)]);
    tls = { cert: authority.certPem, key: authority.keyPem };
    caFile = join(await mkdtemp(join(tmpdir(), 'oidc-harness-ca-')), 'run-ca.pem');
    await writeFile(caFile, authority.caPem);
  }
  let server;
  try {
    server = await startMockOpServer({
      port,
      host: values.host,
      ...(tls ? { tls } : {}),
      ...(publicBase ? { publicBase } : {}),
      pages: harnessPages,
      op: { onRequest: (entry, provider) => console.log(requestLine(provider.issuer, entry)) },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} on ${values.host} is already in use: choose another with --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${values.host}: no such interface here`);
    if (code === 'EACCES') throw new UsageError(`not allowed to listen on port ${port}: choose a port above 1023`);
    throw error;
  }
  console.log(`mock OP listening at ${server.url}`);
  console.log(`the tests and what each expects of the RP: ${server.url}/`);
  console.log(`an issuer: ${server.url}/my-rp/oidcc-client-test (any rp_id of yours, any test id in place of oidcc-client-test)`);
  console.log(`its log and verdict: ${server.url}/logs/my-rp/oidcc-client-test`);
  if (caFile) console.log(`https with a certificate authority made for this run; trust it in the RP: ${caFile} (e.g. NODE_EXTRA_CA_CERTS=${caFile})`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return EXIT.passed;
}

/** The `serve-op` command. */
export const serveOpCommand: Command = { name: 'serve-op', summary: 'serve the certification mock OP for an RP driven by hand', help: HELP, run: serveOp };

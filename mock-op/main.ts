/**
 * Runs the conformance OP on loopback: `npx tsx mock-op/main.ts [--port 8080] [--host 127.0.0.1]`.
 * Prints the base URL and an example issuer, and stops on SIGINT / SIGTERM.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { startMockOpServer } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`bad --port ${values.port}`);
  process.exit(2);
}
const server = await startMockOpServer({ port, host: values.host });
console.log(`mock OP listening at ${server.url}`);
console.log(`example issuer: ${server.url}/oicrp/oidcc-client-test`);
console.log(`discovery: ${server.url}/oicrp/oidcc-client-test/.well-known/openid-configuration`);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

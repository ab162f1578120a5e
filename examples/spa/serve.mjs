// The SPA's static server: the page, its script and oauth4webapi's browser build, on
// http://127.0.0.1:<OIDC_RP_PORT> (no bundler; the page maps "oauth4webapi" to /vendor/ with an
// import map). /callback is the page again, where the OP sends the user back.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const FILES = {
  '/': [here('./index.html'), 'text/html; charset=utf-8'],
  '/callback': [here('./index.html'), 'text/html; charset=utf-8'],
  '/app.mjs': [here('./app.mjs'), 'text/javascript; charset=utf-8'],
  '/vendor/oauth4webapi.js': [fileURLToPath(import.meta.resolve('oauth4webapi')), 'text/javascript; charset=utf-8'],
};
const port = Number(process.env.OIDC_RP_PORT || 5173);

createServer(async (req, res) => {
  const file = FILES[new URL(req.url, 'http://x').pathname];
  if (req.method !== 'GET' || file === undefined) return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end(await readFile(file[0]));
}).listen(port, '127.0.0.1', () => console.log(`SPA on http://127.0.0.1:${port}/`));

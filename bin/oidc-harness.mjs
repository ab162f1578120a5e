#!/usr/bin/env node
// The oidc-harness command. It runs the compiled JavaScript in dist/ (what an installed package
// holds; `npm run build` makes it, and `npm ci` runs the build). In a checkout whose TypeScript
// sources are newer than dist/, it runs the sources through tsx instead, so a change is never
// tested stale.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', '.built');

/** The newest modification time of the TypeScript sources under `dirs`, or 0 when there are none. */
function newestSource(dirs) {
  let newest = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return newest;
}

const compiled = existsSync(built) && newestSource(['src', 'mock-op', 'steps', 'live', 'report', 'bin']) <= statSync(built).mtimeMs;
let main;
if (compiled) {
  process.env.OIDC_HARNESS_COMPILED = '1';
  ({ main } = await import('../dist/bin/cli.js'));
} else {
  delete process.env.OIDC_HARNESS_COMPILED;
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));

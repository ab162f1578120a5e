#!/usr/bin/env node
// The oidc-harness command. Registers tsx so the TypeScript runner loads, then hands over.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));

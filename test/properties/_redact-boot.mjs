// Worker entry for redact.test.ts: a worker does not inherit the parent's `--import tsx`, so it
// registers tsx itself before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./_redact-worker.ts', import.meta.url).href);

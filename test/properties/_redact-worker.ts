/**
 * Runs the redaction functions in a worker thread for redact.test.ts, a batch of calls per message, so that the test can stop
 * a call that does not return (a regular expression that backtracks for minutes cannot be
 * interrupted from the thread that runs it). Arguments of the form `{ repeat, times }` are
 * expanded here into `repeat.repeat(times)`, so huge strings are not copied between threads.
 */
import { parentPort } from 'node:worker_threads';
import * as redact from '../../src/transport/redact.js';

type Call = { fn: string; args: unknown[] };
type Message = { id: number; calls: Call[] };

function expand(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expand);
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v['repeat'] === 'string' && typeof v['times'] === 'number' && Object.keys(v).length === 2) return v['repeat'].repeat(v['times']);
    return Object.fromEntries(Object.entries(v).map(([k, m]) => [k, expand(m)]));
  }
  return value;
}

const functions = redact as unknown as Record<string, (...a: unknown[]) => unknown>;

/** Runs the calls in order; answers with every value, or with the first call that threw. */
parentPort!.on('message', ({ id, calls }: Message) => {
  const values: unknown[] = [];
  for (const [index, { fn, args }] of calls.entries()) {
    try {
      values.push(functions[fn]!(...args.map(expand)));
    } catch (error) {
      parentPort!.postMessage({ id, ok: false, index, error: error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error) });
      return;
    }
  }
  parentPort!.postMessage({ id, ok: true, values });
});

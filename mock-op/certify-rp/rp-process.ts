/**
 * The RP's processes: a command run to its end (its exit status is the RP's outcome), or a server
 * started for one test and polled until it answers; each in a process group of its own, which
 * the harness stops whole afterwards. Output is kept (the last 64 KiB) as evidence.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** The most output kept per process (its end, where the outcome is). */
const MAX_OUTPUT = 64 * 1024;

/** A process of the RP's. */
export interface RpProcess {
  /** The argv it runs. */
  readonly argv: readonly string[];
  /** Its output so far (stdout and stderr interleaved, the last 64 KiB). */
  output(): string;
  /** Resolves with its exit status (or the signal that ended it) once it has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: string }>;
  /** Stops the whole process group: SIGTERM, then SIGKILL after `graceMs`. Resolves once it has ended. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `argv` in a process group of its own, with `env` added to the harness's environment. */
export function startProcess(argv: readonly string[], env: Readonly<Record<string, string>>, cwd: string): RpProcess {
  const [program, ...args] = argv;
  if (program === undefined) throw new TypeError('startProcess needs an argv with a program');
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT);
  };
  let child: ChildProcess;
  let exited: RpProcess['exited'];
  try {
    child = spawn(program, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    exited = new Promise((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error: error.message }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  } catch (error) {
    exited = Promise.resolve({ code: null, signal: null, error: (error as Error).message });
    return { argv, output: () => output, exited, stop: async () => undefined };
  }
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  return {
    argv,
    output: () => output,
    exited,
    async stop(graceMs = 2000) {
      if (done) {
        // The leader ended; others of its group (a server it forked) may live on.
        signalGroup('SIGKILL');
        return;
      }
      signalGroup('SIGTERM');
      const grace = new AbortController();
      const ended = await Promise.race([exited.then(() => true), sleep(graceMs, false, { signal: grace.signal }).catch(() => false)]);
      grace.abort();
      signalGroup('SIGKILL');
      if (!ended) await exited;
    },
  };
}

/**
 * Polls `url` until it answers with any HTTP status, the process ends, or `timeoutMs` passes.
 * Resolves to `true` when it answered, else to why not.
 */
export async function waitUntilReady(url: string, process_: RpProcess, timeoutMs: number, fetchOptions: RequestInit = {}): Promise<true | string> {
  const deadline = Date.now() + timeoutMs;
  let ended: string | undefined;
  void process_.exited.then((e) => {
    ended = e.error ?? (e.signal ? `it was killed by ${e.signal}` : `it exited with status ${e.code}`);
  });
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (ended !== undefined) return `the RP's start command ended before it answered at ${url}: ${ended}`;
    try {
      const response = await fetch(url, { ...fetchOptions, redirect: 'manual', signal: AbortSignal.timeout(Math.max(100, Math.min(2000, deadline - Date.now()))) });
      await response.body?.cancel();
      return true;
    } catch (error) {
      last = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    }
    await sleep(50);
  }
  return `the RP never became ready: ${url} did not answer within ${timeoutMs} ms (${last})`;
}

/** Runs a command to its end, stopping its group after `timeoutMs`. */
export async function runToEnd(argv: readonly string[], env: Readonly<Record<string, string>>, cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string; timedOut: boolean; error?: string }> {
  const child = startProcess(argv, env, cwd);
  // A cancelled timer, not one left running: it would keep the harness's process alive.
  const deadline = new AbortController();
  const timer = sleep(timeoutMs, 'timeout' as const, { signal: deadline.signal }).catch(() => 'ended' as const);
  const result = await Promise.race([child.exited, timer]);
  deadline.abort();
  if (result === 'timeout' || result === 'ended') {
    await child.stop(500);
    return { code: null, output: child.output(), timedOut: true };
  }
  await child.stop(0);
  return { code: result.code, output: child.output(), timedOut: false, ...(result.error === undefined ? {} : { error: result.error }) };
}

/**
 * A throwaway `redis-server` on loopback for the RedisStore tests: a free port, no persistence,
 * started as a child process and killed at the end. Not a test file itself (no `.test.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where the Redis binary is looked for: `REDIS_SERVER` when set, else Debian's. */
export const REDIS_SERVER_BINARY = process.env['REDIS_SERVER'] ?? '/usr/bin/redis-server';

/** A running throwaway Redis. */
export interface RedisServer {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  process: ChildProcess;
  /** Kills the server (SIGKILL if it has not gone after a second) and waits for it to exit. */
  stop(): Promise<void>;
}

/** A TCP port nobody listens on at the moment of asking. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Sends `PING` over a raw socket; true when the answer is `+PONG`. */
async function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG') || answer.startsWith('-NOAUTH'));
    });
  });
}

/**
 * Starts `redis-server --port <free port> --bind 127.0.0.1 --save '' --appendonly no` and waits
 * (at most `timeoutMs`) until it answers PING (`+PONG`, or `-NOAUTH` when `extraArgs` set a password).
 * @throws when the binary is missing, the server exits early or never answers.
 */
export async function startRedisServer(extraArgs: readonly string[] = [], timeoutMs = 10_000): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER_BINARY)) {
    throw new Error(`${REDIS_SERVER_BINARY} is missing: install Debian's redis-server (apt-get install -y redis-server) or set REDIS_SERVER`);
  }
  const port = await freePort();
  const child = spawn(REDIS_SERVER_BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  const stop = async (): Promise<void> => {
    if (gone) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 1_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + timeoutMs;
  while (!(await pings(port))) {
    if (spawnError || gone) {
      await stop();
      throw new Error(`redis-server did not start on port ${port}: ${spawnError?.message ?? 'it exited'}\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer PING on port ${port} within ${timeoutMs} ms\n${output}`);
    }
    await sleep(25);
  }
  return { url: `redis://127.0.0.1:${port}`, port, process: child, stop };
}

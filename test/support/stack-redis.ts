// A throw-away redis-server on a free loopback port for the stack test: the collector's redis receiver watches
// it, so the test can push it near maxmemory (RedisMemoryHigh) and stop it (RedisDown) without touching :6379.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort, pollUntil } from './collector-daemon.js';

export interface TestRedis {
  port: number;
  cli(...args: string[]): string;
  stop(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const cli = (...args: string[]): string => spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();
  await pollUntil(async () => cli('ping') === 'PONG', { timeoutMs: 10_000, describe: () => `redis-server on ${port} did not answer` });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    cli,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Sets maxmemory just above what Redis uses now: used/max > 0.9 (RedisMemoryHigh's condition). */
export function squeezeMaxmemory(redis: TestRedis): number {
  const used = Number(/used_memory:(\d+)/.exec(redis.cli('info', 'memory'))?.[1] ?? 0);
  const max = Math.ceil(used * 1.03);
  redis.cli('config', 'set', 'maxmemory', String(max));
  return max;
}

// Free TCP ports on 127.0.0.1: one found by binding port 0 (the helper every test uses), or a run of
// consecutive ones for tests whose product derives ports from a base (cluster: base + 1 + index).
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';

export function freePort(): Promise<number> {
  return bindOnce(0);
}

/**
 * `count` consecutive ports, all bindable now, below the kernel's ephemeral range. Port 0 hands out
 * ephemeral ports, and the one after it is where the kernel puts the next outgoing connection of any
 * test running beside us: a derived port there is taken by chance (seen in CI as ECONNREFUSED).
 */
export async function freePortRun(count: number): Promise<number> {
  const ephemeralLow = ephemeralRangeStart();
  const low = Math.max(10_000, ephemeralLow - 12_000);
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = low + Math.floor(Math.random() * (ephemeralLow - low - count));
    const bound: number[] = [];
    for (let p = base; p < base + count; p++) {
      if ((await bindOnce(p).catch(() => -1)) !== p) break;
      bound.push(p);
    }
    if (bound.length === count) return base;
  }
  throw new Error(`no ${count} consecutive free ports below ${ephemeralLow}`);
}

function ephemeralRangeStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  } catch {
    return 32_768;
  }
}

function bindOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const addr = srv.address();
      const got = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(got));
    });
  });
}

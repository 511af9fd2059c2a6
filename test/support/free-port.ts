// Free TCP ports on 127.0.0.1 below the kernel's ephemeral range: one (the helper every test uses), or a
// run of consecutive ones for tests whose product derives ports from a base (cluster: base + 1 + index).
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';

/**
 * One port, bindable now, for another process to bind later. Not port 0: that hands out an ephemeral
 * port, and between our check and the other process's bind the kernel may give the same port to an
 * outgoing connection (our own load's fetches, the exporter's): the bind then fails and the test sees
 * ECONNREFUSED (seen in CI on a Prometheus exporter port, safety-export's collector 503 case).
 */
export function freePort(): Promise<number> {
  return freePortRun(1);
}

/**
 * `count` consecutive ports, all bindable now, below the kernel's ephemeral range, where no outgoing
 * connection is ever placed: a derived port in that range is taken by chance (seen in CI as ECONNREFUSED).
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

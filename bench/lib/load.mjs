// One autocannon load window against the app, with the app's CPU time measured around it: as fast
// as the connections go, or at a fixed overall rate (`rate` req/s) so configurations compare at equal load.
import autocannon from 'autocannon';
import { cpuMicros } from './proc.mjs';

/**
 * @param {{ url: string, connections: number, durationS: number, pid: number, rate?: number }} opts
 */
export async function load({ url, connections, durationS, pid, rate }) {
  const cpuBefore = cpuMicros(pid);
  const result = await autocannon({ url, connections, duration: durationS, ...(rate ? { overallRate: rate } : {}) });
  const cpuAfter = cpuMicros(pid);
  const requests = result.requests.total;
  return {
    requests,
    rps: requests / (result.duration || durationS),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuUsPerReq: requests > 0 ? (cpuAfter - cpuBefore) / requests : NaN,
    cpuBusyPct: ((cpuAfter - cpuBefore) / 1e6 / (result.duration || durationS)) * 100,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

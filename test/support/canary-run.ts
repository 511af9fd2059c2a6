// Runs a canary fixture under the preload with the test receiver and the Prometheus endpoint, and
// gathers everything that left the process: decoded OTLP, the /metrics page, stdout and stderr.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from './fixtures-dir.js';
import { runFixture, type FixtureProcess } from './spawn.js';
import { startReceiver, type OtlpReceiver } from './receiver.js';
import { decodedText } from './canaries.js';

import { freePort } from './free-port.js';
export { freePort };

export interface CanaryRun {
  readonly receiver: OtlpReceiver;
  readonly proc: FixtureProcess;
  /** http://127.0.0.1:<app port> */
  readonly base: string;
  readonly promPort: number;
  /** Fetches /metrics, stops the app (SIGTERM: the shutdown flush sends the rest) and returns all output. */
  finish(): Promise<{ otlp: string; page: string; output: string }>;
}

export async function runCanaryFixture(
  t: { after(fn: () => unknown): void },
  name: string,
  corpus: unknown,
  env: Record<string, string | undefined> = {},
): Promise<CanaryRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'obs-canary-'));
  const file = path.join(dir, 'corpus.json');
  writeFileSync(file, JSON.stringify(corpus));
  const receiver = await startReceiver(t);
  const promPort = await freePort();
  const proc = await runFixture(fixture(name), {
    t, args: [file], waitForStdout: /listening on (\d+)/,
    env: { ...receiver.envFor(), OTEL_METRICS_EXPORTER: 'otlp,prometheus', OTEL_EXPORTER_PROMETHEUS_PORT: String(promPort), ...env },
  });
  return {
    receiver, proc, promPort, base: `http://127.0.0.1:${proc.ready![1]}`,
    async finish() {
      const page = await (await fetch(`http://127.0.0.1:${promPort}/metrics`)).text();
      proc.kill('SIGTERM');
      await proc.exited;
      return { otlp: decodedText(receiver.spans, receiver.metrics, receiver.logs), page, output: proc.stdout + proc.stderr };
    },
  };
}

/** Our own lines in a process's output (the app's own prints are the app's business). */
export function ours(output: string): string {
  return output.split('\n').filter((l) => l.startsWith('@org/obs:')).join('\n');
}

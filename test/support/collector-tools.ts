// Runs the Prometheus/Alertmanager command-line tools (Debian's promtool 2.42, amtool 0.25) for the collector tests.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Where .ci/collector-deps.sh installs them; the message names the script when they are missing. */
export function requireTool(name: 'promtool' | 'amtool' | 'prometheus' | 'prometheus-alertmanager'): string {
  for (const dir of ['/usr/bin', '/usr/local/bin', '/bin']) {
    const p = `${dir}/${name}`;
    if (existsSync(p)) return p;
  }
  throw new Error(`${name} not found: run "npm run tools" as root (.ci/collector-deps.sh installs Debian's prometheus and prometheus-alertmanager)`);
}

/** Runs a tool to completion (bounded by timeoutMs) and returns its exit code and output; never rejects on a non-zero exit. */
export function runTool(bin: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(bin, args, { cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

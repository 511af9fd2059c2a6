// One start-up line for a developer at a terminal: the service name, where telemetry goes and what was
// patched, so they know the preload is on. Only when stderr is a TTY and OTEL_LOG_LEVEL lets info
// through: production logs (pipes, files, collectors) never see it. Printed when the app's first server
// listens (by then its imports are patched), or after 2 s for apps that never listen.
import dc from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { enabled, log } from '../log.js';
import { isOwnServerRequest } from '../admin/server-marks.js';
import type { ObsStatus } from './obs-state.js';

const require = createRequire(import.meta.url);
const LISTEN_CHANNEL = 'tracing:net.server.listen:asyncEnd';
const FALLBACK_MS = 2000;

/** `traces, metrics → otlp grpc http://localhost:4317; logs → otlp http/protobuf http://...` */
export function destinations(status: ObsStatus): string {
  const groups = new Map<string, string[]>();
  for (const e of status.exporters) {
    const where = [e.exporter, e.protocol, e.endpoint].filter(Boolean).join(' ');
    groups.set(where, [...(groups.get(where) ?? []), e.signal]);
  }
  if (groups.size === 0) return 'telemetry goes nowhere (every OTEL_*_EXPORTER is none)';
  return [...groups].map(([where, signals]) => `${signals.join(', ')} → ${where}`).join('; ');
}

/**
 * Diagnostics-channel instrumentations (fastify) report patched as soon as they are on; a library counts
 * as patched here only once the app has loaded it. CommonJS modules, also imported from ESM, are in
 * require.cache.
 */
function loaded(modules: readonly string[]): boolean {
  if (modules.length === 0) return true;
  const keys = Object.keys(require.cache);
  return modules.some((m) => keys.some((k) => k.includes(`/node_modules/${m}/`)));
}

export function startupLine(status: ObsStatus, serviceName: string): string {
  const patched: string[] = [];
  const waiting: string[] = [];
  for (const row of status.instrumentations) {
    if (!row.enabled) continue;
    let done = false;
    try {
      done = loaded(row.modules) && (status.patchProbes?.[row.name]?.() ?? false);
    } catch {
      // a probe that cannot tell counts as not patched
    }
    (done ? patched : waiting).push(row.name);
  }
  const rest = waiting.length > 0 ? `; not loaded yet: ${waiting.join(', ')}` : '';
  return `on for service "${serviceName}": ${destinations(status)}; patched: ${patched.join(', ') || 'nothing yet'}${rest}`;
}

export function announceOnTty(status: ObsStatus, serviceName: string): void {
  if (!process.stderr.isTTY || !enabled('info')) return;
  let printed = false;
  const print = (): void => {
    if (printed) return;
    printed = true;
    dc.unsubscribe(LISTEN_CHANNEL, onListen);
    clearTimeout(timer);
    log.info(startupLine(status, serviceName));
  };
  function onListen(message: unknown): void {
    const server = (message as { server?: unknown } | undefined)?.server;
    // Our own metrics or probe port listening is not the app.
    if (server !== undefined && isOwnServerRequest({ socket: { server } } as unknown as IncomingMessage)) return;
    print();
  }
  dc.subscribe(LISTEN_CHANNEL, onListen);
  const timer = setTimeout(print, FALLBACK_MS);
  timer.unref();
}

// `obs tail`: a development OTLP receiver that prints what a service sends, with fault flags to
// watch how the service behaves when its collector misbehaves.
import { parseArgs } from 'node:util';
import type { Fault } from '../receiver/faults.js';
import { SIGNALS, type Signal } from '../receiver/types.js';
import { paint, wantColor } from '../util/color.js';
import { parseDuration } from '../util/duration.js';
import { UsageError } from '../util/usage-error.js';
import { METRICS_HINT, TailSession } from './session.js';

export const TAIL_HELP = `Usage: obs tail [options]

A development OTLP receiver: listens on gRPC :4317 and HTTP :4318 (the
preload's default targets) and prints incoming traces as trees (one block per
trace, also across services), metrics as latest values per series (they come
once per export interval, 60 s by default), and logs with their service and
trace ids.

Options:
  --grpc-port N      gRPC port (default 4317; 0 = any free port)
  --http-port N      HTTP port (default 4318; 0 = any free port)
  --host HOST        address to listen on (default 127.0.0.1; 0.0.0.0 for
                     containers)
  --service NAME     only telemetry whose service.name is NAME
  --signal LIST      traces,metrics,logs (default: all three)
  --json             one JSON object per line (span, metric point or log
                     record, with a "signal" field) for machines
  --all-metrics      also show runtime metrics (nodejs.*, v8js.*, process.*);
                     the view hides them by default, --json never does
  --no-color         plain output (also when stdout is not a terminal)

Fault flags (watch your service cope with a broken collector):
  --fail STATUS      answer every export with this HTTP status (gRPC: the
                     matching code), e.g. --fail 503
  --retry-after S    with --fail 429/503: send Retry-After S seconds
  --delay DURATION   answer after DURATION, e.g. --delay 2s
  --refuse           refuse connections (ports closed)
  --hang             accept exports and never answer
  -h, --help         this help

Example:  obs tail --signal traces --service checkout
`;

function parseSignals(text: string): Set<Signal> {
  const out = new Set<Signal>();
  for (const raw of text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const name = raw.endsWith('s') ? raw : `${raw}s`;
    if (!(SIGNALS as readonly string[]).includes(name)) throw new UsageError(`--signal: unknown signal "${raw}" (traces, metrics, logs)`);
    out.add(name as Signal);
  }
  if (out.size === 0) throw new UsageError('--signal: give at least one of traces, metrics, logs');
  return out;
}

function parsePort(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag}: not a port: "${text}"`);
  return n;
}

export function faultFromFlags(v: { fail?: string; delay?: string; refuse?: boolean; hang?: boolean; 'retry-after'?: string }): Fault | undefined {
  const picked = [v.fail !== undefined, v.refuse, v.hang].filter(Boolean).length;
  if (picked > 1) throw new UsageError('use only one of --fail, --refuse, --hang');
  const fault: Fault = { kind: 'ok' };
  if (v.fail !== undefined) {
    const status = Number(v.fail);
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new UsageError(`--fail: expected an HTTP error status (400-599), got "${v.fail}"`);
    Object.assign(fault, { kind: 'status', status });
  }
  if (v.refuse) fault.kind = 'refuse';
  if (v.hang) fault.kind = 'hang';
  if (v.delay !== undefined) fault.delayMs = parseDuration(v.delay);
  if (v['retry-after'] !== undefined) fault.retryAfterSeconds = parseDuration(v['retry-after']) / 1000;
  return fault.kind === 'ok' && fault.delayMs === undefined ? undefined : fault;
}

function describeFault(f: Fault): string {
  const what = f.kind === 'status' ? `answering ${f.status}${f.retryAfterSeconds ? ` (Retry-After ${f.retryAfterSeconds}s)` : ''}`
    : f.kind === 'refuse' ? 'refusing connections'
    : f.kind === 'hang' ? 'never answering'
    : 'accepting';
  return `fault: ${what}${f.delayMs ? ` after ${f.delayMs} ms` : ''}`;
}

export async function tailCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'grpc-port': { type: 'string', default: '4317' },
      'http-port': { type: 'string', default: '4318' },
      host: { type: 'string', default: '127.0.0.1' },
      service: { type: 'string' },
      signal: { type: 'string', default: 'traces,metrics,logs' },
      json: { type: 'boolean', default: false },
      'all-metrics': { type: 'boolean', default: false },
      'no-color': { type: 'boolean', default: false },
      fail: { type: 'string' },
      'retry-after': { type: 'string' },
      delay: { type: 'string' },
      refuse: { type: 'boolean', default: false },
      hang: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(TAIL_HELP);
    return 0;
  }
  const fault = faultFromFlags(values);
  const session = new TailSession({
    grpcPort: parsePort(values['grpc-port'], '--grpc-port'),
    httpPort: parsePort(values['http-port'], '--http-port'),
    host: values.host,
    signals: parseSignals(values.signal),
    service: values.service,
    json: values.json,
    allMetrics: values['all-metrics'],
    paint: paint(!values.json && wantColor(process.stdout, values['no-color'])),
    width: Math.max(60, process.stdout.columns ?? 80),
    fault,
    write: (text) => process.stdout.write(text),
  });
  try {
    await session.start();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      throw new Error(`port in use (${e.message}): is another collector running? Try --grpc-port 0 --http-port 0`);
    }
    throw err;
  }
  const r = session.receiver;
  // On stderr, so --json stdout stays pure JSON lines.
  process.stderr.write(`obs tail: listening on grpc=${r.grpcUrl} http=${r.httpUrl}${fault ? ` · ${describeFault(fault)}` : ''}\n`);
  if (!values.json) {
    process.stderr.write(`obs tail: the preload's defaults send here (traces gRPC :4317, metrics and logs HTTP :4318); Ctrl-C to stop\n`);
    process.stderr.write(`obs tail: traces and logs show within seconds; metrics once per export interval, the first within ${METRICS_HINT}\n`);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await session.stop();
  const c = session.counts;
  process.stderr.write(`obs tail: received ${c.spans} spans, ${c.metrics} metric points, ${c.logs} log records\n`);
  return 0;
}

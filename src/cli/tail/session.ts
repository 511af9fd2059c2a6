// A running `obs tail`: the OTLP receiver plus the views, filters and fault flags. Also used in-process
// by the demo runner (examples/demo/run.mjs), which reads `receiver` for its closing summary.
import { OtlpReceiver } from '../receiver/receiver.js';
import type { Fault } from '../receiver/faults.js';
import type { ReceivedLog, ReceivedMetricPoint, ReceivedSpan, Signal } from '../receiver/types.js';
import { fit, type Paint } from '../util/color.js';
import { serviceOf } from './format.js';
import { jsonLine } from './json.js';
import { renderLog } from './render-log.js';
import { RUNTIME_METRIC, pointValue, renderMetrics, seriesKey } from './render-metrics.js';
import { renderTrace } from './render-trace.js';
import { TraceBuffer } from './trace-buffer.js';

/** The preload's (and the SDK's) default OTEL_METRIC_EXPORT_INTERVAL, which the service sets, not us. */
export const METRICS_HINT = '60 s of its start (OTEL_METRIC_EXPORT_INTERVAL, 60000 ms by default)';

export interface TailOptions {
  grpcPort: number;
  httpPort: number;
  host: string;
  signals: ReadonlySet<Signal>;
  service?: string;
  json: boolean;
  paint: Paint;
  width: number;
  fault?: Fault;
  /** Keep every item in receiver.spans/metrics/logs (the demo's summary needs them); default: drop after printing. */
  keep?: boolean;
  /** Also show Node runtime metrics (nodejs.*, v8js.*, process.*), hidden by default in the view. */
  allMetrics?: boolean;
  /** Print nothing (the demo prints its own summary); the receiver still records. */
  quiet?: boolean;
  write: (text: string) => void;
}

export class TailSession {
  readonly receiver = new OtlpReceiver();
  readonly counts = { spans: 0, metrics: 0, logs: 0 };
  private readonly traces: TraceBuffer;
  private readonly lastValue = new Map<string, string>();
  /** Services seen so far, and whether their metrics have arrived yet. */
  private readonly services = new Map<string, boolean>();

  constructor(private readonly opts: TailOptions) {
    this.traces = new TraceBuffer((spans, update) => this.printTrace(spans, update));
  }

  async start(): Promise<void> {
    this.receiver.on('spans', (spans: ReceivedSpan[]) => this.onSpans(spans));
    this.receiver.on('metrics', (points: ReceivedMetricPoint[]) => this.onMetrics(points));
    this.receiver.on('logs', (logs: ReceivedLog[]) => this.onLogs(logs));
    await this.receiver.start({
      grpcPort: this.opts.grpcPort,
      httpPort: this.opts.httpPort,
      host: this.opts.host,
      faults: this.opts.fault ? { all: this.opts.fault } : undefined,
    });
  }

  async stop(): Promise<void> {
    await this.receiver.stop();
    this.traces.flush();
  }

  private wanted(resource: Record<string, unknown>, signal: Signal): boolean {
    if (!this.opts.signals.has(signal)) return false;
    return this.opts.service === undefined || serviceOf(resource as never) === this.opts.service;
  }

  /** A long-running tail must not grow: what was printed is dropped (requests records too). */
  private forget(list: unknown[]): void {
    if (this.opts.keep) return;
    list.length = 0;
    this.receiver.requests.length = 0;
  }

  /**
   * Traces and logs come within seconds, metrics only once per export interval (a minute by default):
   * say so the first time a service shows up, so an empty metrics view does not look like a fault.
   */
  private seen(resources: readonly Record<string, unknown>[], metrics: boolean): void {
    for (const resource of resources) {
      const service = serviceOf(resource as never);
      const had = this.services.get(service);
      if (had === true || (had === false && !metrics)) continue;
      this.services.set(service, metrics);
      if (had === undefined && !metrics && this.opts.signals.has('metrics') && !this.opts.json && !this.opts.quiet) {
        this.opts.write(this.opts.paint.dim(fit(`── ${service}: first metrics within one export interval (60 s by default)`, this.opts.width)) + '\n');
      }
    }
  }

  private onSpans(spans: ReceivedSpan[]): void {
    const mine = spans.filter((s) => this.wanted(s.resource, 'traces'));
    this.seen(mine.map((s) => s.resource), false);
    this.counts.spans += mine.length;
    if (!this.opts.quiet) {
      if (this.opts.json) for (const s of mine) this.opts.write(jsonLine('traces', s) + '\n');
      else this.traces.add(mine);
    }
    this.forget(this.receiver.spans);
  }

  private onMetrics(points: ReceivedMetricPoint[]): void {
    const mine = points.filter((p) => this.wanted(p.resource, 'metrics'));
    this.seen(mine.map((p) => p.resource), true);
    this.counts.metrics += mine.length;
    if (!this.opts.quiet) {
      if (this.opts.json) {
        for (const p of mine) this.opts.write(jsonLine('metrics', p) + '\n');
      } else {
        // Cumulative exporters resend every series each interval: show only what moved.
        const shown = this.opts.allMetrics ? mine : mine.filter((p) => !RUNTIME_METRIC.test(p.name));
        const changed = shown.filter((p) => {
          const key = seriesKey(p);
          const value = pointValue(p);
          if (this.lastValue.get(key) === value) return false;
          this.lastValue.set(key, value);
          return true;
        });
        if (changed.length > 0) {
          const { paint: p, width } = this.opts;
          const service = serviceOf(changed[0]!.resource);
          const head = `── metrics · ${service} · ${changed.length} changed of ${shown.length} series `;
          this.opts.write([p.bold(head.padEnd(width, '─').slice(0, width)), ...renderMetrics(changed, p, width)].join('\n') + '\n');
        }
      }
    }
    this.forget(this.receiver.metrics);
  }

  private onLogs(logs: ReceivedLog[]): void {
    const mine = logs.filter((l) => this.wanted(l.resource, 'logs'));
    this.seen(mine.map((l) => l.resource), false);
    this.counts.logs += mine.length;
    if (!this.opts.quiet) {
      for (const l of mine) this.opts.write((this.opts.json ? jsonLine('logs', l) : renderLog(l, this.opts.paint, this.opts.width)) + '\n');
    }
    this.forget(this.receiver.logs);
  }

  private printTrace(spans: ReceivedSpan[], update: boolean): void {
    this.opts.write(renderTrace(spans, this.opts.paint, this.opts.width, update).join('\n') + '\n');
  }
}

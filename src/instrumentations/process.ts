// Process metrics of the semantic conventions: process.cpu.time, process.cpu.utilization,
// process.memory.usage, process.memory.virtual, process.thread.count, process.uptime.
// Hand-written (one callback) because @opentelemetry/host-metrics 0.39 loads systeminformation at
// start even for its process group, names the CPU attribute process.cpu.state (semconv: cpu.mode) and
// gives process.memory.usage no unit (so Prometheus would lose `_bytes`). Everything is an observable
// instrument read on collection only: nothing runs between exports.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { BatchObservableCallback, Meter, MeterProvider, Observable } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { InstrumentationSpec } from './types.js';

interface ProcStat {
  threads: number;
  virtualBytes: number;
}

/** /proc/self/stat (Linux): a few hundred bytes from procfs, no disk. Fields after the `)` of the command name. */
export function readProcStat(): ProcStat | undefined {
  try {
    const text = readFileSync('/proc/self/stat', 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // proc(5): num_threads is field 20, vsize field 23; fields[0] is field 3 (state).
    const threads = Number(fields[17]);
    const virtualBytes = Number(fields[20]);
    return Number.isFinite(threads) && Number.isFinite(virtualBytes) ? { threads, virtualBytes } : undefined;
  } catch {
    return undefined;
  }
}

class ProcessMetrics implements Instrumentation {
  readonly instrumentationName = '@org/obs/process';
  readonly instrumentationVersion = '1';
  private meter?: Meter;
  private observables: Observable[] = [];
  private enabled = true;
  private hasProcStat = readProcStat() !== undefined;
  // Utilization is the CPU time since the previous collection over the wall time and the CPUs available.
  private last = { at: performance.now(), usage: process.cpuUsage() };

  private readonly collect: BatchObservableCallback = (result) => {
    const [cpuTime, cpuUtilization, memoryUsage, memoryVirtual, threadCount, uptime] = this.observables;
    const usage = process.cpuUsage();
    const now = performance.now();
    result.observe(cpuTime, usage.user / 1e6, { 'cpu.mode': 'user' });
    result.observe(cpuTime, usage.system / 1e6, { 'cpu.mode': 'system' });
    const capacityUs = (now - this.last.at) * 1000 * availableParallelism();
    if (capacityUs > 0) {
      result.observe(cpuUtilization, (usage.user - this.last.usage.user) / capacityUs, { 'cpu.mode': 'user' });
      result.observe(cpuUtilization, (usage.system - this.last.usage.system) / capacityUs, { 'cpu.mode': 'system' });
    }
    this.last = { at: now, usage };
    result.observe(memoryUsage, process.memoryUsage.rss());
    const stat = this.hasProcStat ? readProcStat() : undefined;
    if (stat) {
      result.observe(memoryVirtual, stat.virtualBytes);
      result.observe(threadCount, stat.threads);
    }
    result.observe(uptime, process.uptime());
  };

  setMeterProvider(provider: MeterProvider): void {
    this.unregister();
    this.meter = provider.getMeter(this.instrumentationName, this.instrumentationVersion);
    const m = this.meter;
    this.observables = [
      m.createObservableCounter('process.cpu.time', { description: 'Total CPU seconds broken down by CPU mode.', unit: 's' }),
      m.createObservableGauge('process.cpu.utilization', { description: 'CPU time since the last collection over the elapsed time and the CPUs available to the process.', unit: '1' }),
      m.createObservableUpDownCounter('process.memory.usage', { description: 'The amount of physical memory in use (resident set size).', unit: 'By' }),
      m.createObservableUpDownCounter('process.memory.virtual', { description: 'The amount of committed virtual memory.', unit: 'By' }),
      m.createObservableUpDownCounter('process.thread.count', { description: 'Process threads count.', unit: '{thread}' }),
      m.createObservableGauge('process.uptime', { description: 'The time the process has been running.', unit: 's' }),
    ];
    if (this.enabled) m.addBatchObservableCallback(this.collect, this.observables);
  }

  private unregister(): void {
    this.meter?.removeBatchObservableCallback(this.collect, this.observables);
  }

  enable(): void {
    if (this.enabled) return;
    this.enabled = true;
    this.meter?.addBatchObservableCallback(this.collect, this.observables);
  }
  disable(): void {
    this.enabled = false;
    this.unregister();
  }
  setTracerProvider(): void {}
  setConfig(): void {}
  getConfig(): object {
    return {};
  }
}

export const processMetrics: InstrumentationSpec = {
  name: 'process',
  package: '@org/obs (built in)',
  modules: [],
  create() {
    return new ProcessMetrics();
  },
};

// OBS_CONSOLE_CAPTURE=true: console.log/info/warn/error/debug also become OTLP log records with
// severity, trace context and request_id. What the app prints is untouched: the original runs first.
import { format } from 'node:util';
import type { SeverityNumber as Severity } from '@opentelemetry/api';
import { addLogContext } from './log-context.js';
import { otel } from '../sdk/otel.js';

const { context } = otel('@opentelemetry/api');
const { logs, SeverityNumber } = otel('@opentelemetry/api');
const { isTracingSuppressed } = otel('@opentelemetry/core');

type Method = 'log' | 'info' | 'warn' | 'error' | 'debug';

const LEVELS: Readonly<Record<Method, [Severity, string]>> = {
  debug: [SeverityNumber.DEBUG, 'DEBUG'],
  log: [SeverityNumber.INFO, 'INFO'],
  info: [SeverityNumber.INFO, 'INFO'],
  warn: [SeverityNumber.WARN, 'WARN'],
  error: [SeverityNumber.ERROR, 'ERROR'],
};

/** Wraps the console methods; returns a function that puts the originals back. */
export function installConsoleBridge(): () => void {
  const logger = logs.getLogger('@org/obs/console');
  const originals = new Map<Method, (...args: unknown[]) => void>();
  // A record emitted from inside an export (e.g. the console log exporter printing) must not loop.
  let emitting = false;

  for (const method of Object.keys(LEVELS) as Method[]) {
    const original = console[method] as (...args: unknown[]) => void;
    originals.set(method, original);
    const [severityNumber, severityText] = LEVELS[method];
    const wrapped = function (this: unknown, ...args: unknown[]): void {
      original.apply(this, args);
      const ctx = context.active();
      if (emitting || isTracingSuppressed(ctx)) return;
      emitting = true;
      try {
        const attributes: Record<string, unknown> = { 'log.source': 'console' };
        addLogContext(attributes, ctx);
        logger.emit({ severityNumber, severityText, body: format(...args), attributes: attributes as Record<string, string>, context: ctx });
      } catch {
        // telemetry must never break the app's logging
      } finally {
        emitting = false;
      }
    };
    console[method] = wrapped;
  }
  return () => {
    for (const [method, original] of originals) console[method] = original;
  };
}

// One log record per line: time, severity, service, body, and the short trace id that ties it to a trace.
import type { ReceivedLog } from '../receiver/types.js';
import { fit, type Paint } from '../util/color.js';
import { clock, formatValue, serviceOf, shortId } from './format.js';

function severityName(log: ReceivedLog): string {
  if (log.severityText) return log.severityText.toUpperCase().slice(0, 5);
  const n = log.severityNumber;
  return n >= 21 ? 'FATAL' : n >= 17 ? 'ERROR' : n >= 13 ? 'WARN' : n >= 9 ? 'INFO' : n >= 5 ? 'DEBUG' : n > 0 ? 'TRACE' : '-';
}

export function renderLog(log: ReceivedLog, p: Paint, width: number): string {
  const sev = severityName(log).padEnd(5);
  const colour = log.severityNumber >= 17 ? p.red : log.severityNumber >= 13 ? p.yellow : log.severityNumber >= 9 ? p.green : p.dim;
  const time = clock(log.timeUnixNano || log.observedTimeUnixNano);
  const trace = log.traceId ? `trace ${shortId(log.traceId)}` : '';
  const body = typeof log.body === 'string' ? log.body : formatValue(log.body);
  // Several services may log into one tail: each line says whose it is.
  const service = fit(serviceOf(log.resource), 20);
  const room = width - time.length - sev.length - service.length - trace.length - 5;
  const text = fit(body.replace(/\s+/g, ' '), Math.max(10, room));
  const gap = ' '.repeat(Math.max(1, width - time.length - sev.length - service.length - text.length - trace.length - 4));
  return `${p.dim(time)} ${colour(sev)} ${p.cyan(service)} ${text}${trace ? gap + p.magenta(trace) : ''}`;
}

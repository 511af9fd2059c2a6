// The proof's log finding: a record carrying the request's trace id, or why none did (no bridged
// logger, nothing logged, or records that lost the request's context).
import type { ReceivedLog, ReceivedSpan } from '../receiver/index.js';
import type { Finding } from './finding.js';
import type { ProofEvidence } from './proof-run.js';
import { describeExporters, OVERRIDDEN, scopeLabel } from './proof-labels.js';
import type { DoctorReport } from './report.js';

const LOGGERS = ['pino', 'winston', 'bunyan'];

function bodyText(log: ReceivedLog): string {
  const text = typeof log.body === 'string' ? log.body : JSON.stringify(log.body);
  return text.length > 50 ? `${text.slice(0, 47)}...` : text;
}

/** Loggers whose records reach the logs signal in this run: patched pino/winston/bunyan, the console bridge. */
function bridgedLoggers(report: DoctorReport): string[] {
  const out = report.instrumentations.filter((i) => LOGGERS.includes(i.name) && i.enabled && i.patched).map((i) => i.name);
  const signals = report.config.signals as { consoleCapture?: boolean } | undefined;
  if (signals?.consoleCapture) out.push('console (OBS_CONSOLE_CAPTURE)');
  return out;
}

export function logFinding(evidence: ProofEvidence, server: ReceivedSpan, report: DoctorReport, reaching: ReadonlySet<string>): Finding {
  const id = 'proof.log';
  const section = 'proof';
  const match = evidence.logs.find((l) => l.traceId === server.traceId);
  if (match) return { id, section, level: 'ok', text: `log record "${bodyText(match)}" (${scopeLabel(match.scope.name)}) carries the trace id` };
  if (!reaching.has('logs')) {
    return {
      id, section, level: 'warn',
      text: `no log record could arrive: the command sets its own logs exporter (${describeExporters(report, 'logs')}) over the doctor's`,
      fix: OVERRIDDEN,
    };
  }
  const bridged = bridgedLoggers(report);
  if (bridged.length === 0) {
    return {
      id, section, level: 'warn',
      text: 'no log record carries the trace id: the app loads no logger we bridge (pino, winston, bunyan)',
      fix: 'log through pino, winston or bunyan, or set OBS_CONSOLE_CAPTURE=true to send console output',
    };
  }
  // Records written while the request ran but without its trace id: the request's context was lost.
  const fromNs = BigInt(evidence.request?.startedAt ?? 0) * 1_000_000n;
  const toNs = BigInt(evidence.request?.endedAt ?? 0) * 1_000_000n;
  const orphans = evidence.logs.filter((l) => l.traceId === '' && BigInt(l.timeUnixNano) >= fromNs && BigInt(l.timeUnixNano) <= toNs);
  if (orphans.length > 0) {
    return {
      id, section, level: 'fail',
      text: `${orphans.length} log record(s) written during the request carry no trace id (e.g. "${bodyText(orphans[0]!)}"): the logger runs outside the request's context`,
      fix: `load ${bridged[0]} after the preload (no --require of it before --import @org/obs/register) and log inside the request handler`,
    };
  }
  return {
    id, section, level: 'warn',
    text: `no log record carries the trace id: ${bridged.join(', ')} ${bridged.length > 1 ? 'are' : 'is'} bridged, but the request logged nothing`,
    fix: 'point --url at a route that logs, to see its records joined to the trace',
  };
}


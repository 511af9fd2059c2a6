// Findings of the proof run: the request went through the app, its server span arrived with a child
// and a route, and a log record carries its trace id. Only what arrived counts, not what was patched.
import { DEFAULT_IGNORE_PATHS } from '../../config.js';
import { pathMatcher } from '../../infra-paths.js';
import type { ReceivedLog, ReceivedSpan } from '../../receiver/index.js';
import type { Finding } from './finding.js';
import { findServerSpan, type ProofEvidence } from './proof-run.js';
import type { DoctorReport } from './report.js';

const LOGGERS = ['pino', 'winston', 'bunyan'];

/** `@opentelemetry/instrumentation-pg` → `pg`; an app's own tracer name stays as it is. */
function scopeLabel(scope: string): string {
  return scope.replace(/^@opentelemetry\/instrumentation-/, '') || 'no scope name';
}

/** Every span below the server span in its trace, nearest first. */
function descendants(spans: readonly ReceivedSpan[], root: ReceivedSpan): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  let parents = new Set([root.spanId]);
  while (parents.size > 0) {
    const level = spans.filter((s) => s.traceId === root.traceId && parents.has(s.parentSpanId) && !out.includes(s));
    out.push(...level);
    parents = new Set(level.map((s) => s.spanId));
  }
  return out;
}

function listSpans(spans: readonly ReceivedSpan[]): string {
  const shown = spans.slice(0, 4).map((s) => `${s.name} (${scopeLabel(s.scope.name)})`);
  return shown.join(', ') + (spans.length > 4 ? `, +${spans.length - 4} more` : '');
}

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

function describeExporters(report: DoctorReport, signal: string): string {
  const list = report.exporters.filter((e) => e.signal === signal).map((e) => e.endpoint ?? e.exporter);
  return list.length > 0 ? list.join(', ') : 'none';
}

function logFinding(evidence: ProofEvidence, server: ReceivedSpan, report: DoctorReport, reaching: ReadonlySet<string>): Finding {
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

const OVERRIDDEN = 'set OTEL_* variables in the environment of obs doctor, not inside the command (an npm script, an env wrapper)';

/** `reaching`: the signals the app really exported to the doctor's receiver in this run. */
export function proofFindings(evidence: ProofEvidence, report: DoctorReport, reaching: ReadonlySet<string>): Finding[] {
  const section = 'proof';
  if (evidence.skipped === 'exited') {
    return [{ id: 'proof.request', section, level: 'fail', text: 'the app exited before it listened: no request could go through it', fix: 'make the command start a long-running server (see the output above)' }];
  }
  if (evidence.skipped === 'no-port' || !evidence.request) {
    return [{
      id: 'proof.request', section, level: 'fail',
      text: 'the app listened on no TCP port in time: no request could prove its telemetry',
      fix: 'give the URL: obs doctor --url http://127.0.0.1:<port>/<path> -- <command> (or --no-request for a service without HTTP)',
    }];
  }
  const request = evidence.request;
  if (request.error !== undefined) {
    return [{ id: 'proof.request', section, level: 'fail', text: `GET ${request.url} → ${request.error}`, fix: 'check that the app answers there, or give another URL with --url' }];
  }
  const out: Finding[] = [{ id: 'proof.request', section, level: 'ok', text: `GET ${request.url} → HTTP ${request.status} in ${request.endedAt - request.startedAt} ms` }];
  const server = findServerSpan(evidence.spans, request);
  if (!server && !reaching.has('traces')) {
    out.push({
      id: 'proof.span', section, level: 'fail',
      text: `no server span could arrive: the command sets its own traces exporter (${describeExporters(report, 'traces')}) over the doctor's`,
      fix: OVERRIDDEN,
    });
    return out;
  }
  if (!server) {
    // Health and metrics paths are left untraced on purpose: the request proved nothing.
    const ignored = report.config.ignorePaths;
    const patterns = Array.isArray(ignored) ? ignored.map(String) : DEFAULT_IGNORE_PATHS;
    const path = new URL(request.url).pathname;
    if (pathMatcher(patterns)(path)) {
      out.push({
        id: 'proof.span', section, level: 'fail',
        text: `no server span for ${path}: it matches OBS_IGNORE_PATHS (${patterns.join(',')}), untraced by design`,
        fix: 'give --url a route of the app that is traced, e.g. --url http://127.0.0.1:<port>/orders',
      });
      return out;
    }
    out.push({
      id: 'proof.span', section, level: 'fail',
      text: 'no server span arrived for the request: the app\'s HTTP server is not traced',
      fix: 'keep the http instrumentation enabled (OTEL_NODE_ENABLED/DISABLED_INSTRUMENTATIONS) and create the server after the preload loads',
    });
    return out;
  }
  out.push({ id: 'proof.span', section, level: 'ok', text: `server span "${server.name}" (trace ${server.traceId})` });
  const children = descendants(evidence.spans, server);
  out.push(children.length > 0
    ? { id: 'proof.child', section, level: 'ok', text: `${children.length} child span${children.length > 1 ? 's' : ''}: ${listSpans(children)}` }
    : { id: 'proof.child', section, level: 'warn', text: 'no child span: the request touched no instrumented library', fix: 'point --url at a route that queries a database, a cache or another service' });
  const route = server.attributes['http.route'];
  out.push(typeof route === 'string' && route !== ''
    ? { id: 'proof.route', section, level: 'ok', text: `route http.route = ${route}` }
    : { id: 'proof.route', section, level: 'fail', text: 'the server span carries no http.route: requests will not be grouped by route', fix: 'routes come from our http instrumentation and the framework ones (express, fastify, koa): keep them enabled and loaded after the preload' });
  out.push(logFinding(evidence, server, report, reaching));
  return out;
}

// Findings of the proof run: the request went through the app, its server span arrived with a child
// and a route, and a log record carries its trace id. Only what arrived counts, not what was patched.
import { DEFAULT_IGNORE_PATHS } from '../../config/config.js';
import { pathMatcher } from '../../instrumentations/ignore-paths.js';
import type { ReceivedSpan } from '../receiver/index.js';
import { logFinding } from './checks-proof-log.js';
import type { Finding } from './finding.js';
import { findServerSpan, type ProofEvidence } from './proof-run.js';
import { describeExporters, OVERRIDDEN, scopeLabel } from './proof-labels.js';
import type { DoctorReport } from './report.js';

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

// One trace as an indented tree (parent → children by start time), one span per line, duration at
// the right edge, so a request's http → pg → redis path reads top to bottom at 80 columns. A trace that
// crosses services names the service on each span ([checkout]) and all of them in the heading.
import type { ReceivedSpan } from '../receiver/types.js';
import { fit, type Paint } from '../util/color.js';
import { compareNano, formatMs, serviceOf, shortId } from './format.js';

function detail(span: ReceivedSpan): string {
  const a = span.attributes;
  const parts: string[] = [];
  const status = a['http.response.status_code'] ?? a['http.status_code'];
  if (status !== undefined) parts.push(String(status));
  const db = a['db.system.name'] ?? a['db.system'];
  if (db !== undefined && !span.name.toLowerCase().includes(String(db).toLowerCase())) parts.push(String(db));
  return parts.join(' ');
}

export function buildTree(spans: readonly ReceivedSpan[]): { roots: ReceivedSpan[]; children: Map<string, ReceivedSpan[]> } {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, ReceivedSpan[]>();
  const roots: ReceivedSpan[] = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) {
      const list = children.get(s.parentSpanId) ?? [];
      list.push(s);
      children.set(s.parentSpanId, list);
    } else {
      roots.push(s);
    }
  }
  const byStart = (x: ReceivedSpan, y: ReceivedSpan) => compareNano(x.startTimeUnixNano, y.startTimeUnixNano);
  roots.sort(byStart);
  for (const list of children.values()) list.sort(byStart);
  return { roots, children };
}

export function renderTrace(spans: readonly ReceivedSpan[], p: Paint, width: number, update = false): string[] {
  if (spans.length === 0) return [];
  const { roots, children } = buildTree(spans);
  const top = roots[0] as ReceivedSpan;
  const rootDuration = roots.some((r) => !r.parentSpanId) ? formatMs(top.durationMs) : 'partial';
  // Services in the order the request reached them.
  const services = [...new Set([...spans].sort((x, y) => compareNano(x.startTimeUnixNano, y.startTimeUnixNano)).map((s) => serviceOf(s.resource)))];
  const multi = services.length > 1;
  const head = `trace ${shortId(top.traceId)} · ${services.join(' → ')} · ${spans.length} span${spans.length > 1 ? 's' : ''} · ${rootDuration}${update ? ' · updated' : ''}`;
  const lines = [p.bold(fit(`── ${head} `.padEnd(width, '─'), width))];

  const walk = (span: ReceivedSpan, prefix: string, branch: string) => {
    const dur = formatMs(span.durationMs);
    const kind = span.kind === 'INTERNAL' || span.kind === 'UNSPECIFIED' ? '' : span.kind.toLowerCase();
    const extra = [kind, detail(span)].filter(Boolean).join(' ');
    const orphan = span.parentSpanId && span === roots.find((r) => r === span) ? '↳ ' : '';
    const label = `${prefix}${branch}${orphan}${multi ? `[${serviceOf(span.resource)}] ` : ''}${span.name}`;
    const room = width - dur.length - 1;
    const plain = fit(extra ? `${label}  ${extra}` : label, room);
    const nameLen = Math.min(label.length, plain.length);
    const error = span.status.code === 'ERROR';
    let shown = plain.slice(0, nameLen);
    shown = error ? p.red(shown) : shown;
    shown += p.dim(plain.slice(nameLen));
    lines.push(`${shown}${' '.repeat(Math.max(1, width - plain.length - dur.length))}${error ? p.red(dur) : p.dim(dur)}`);
    if (error && span.status.message) lines.push(p.red(fit(`${prefix}${branch === '' ? '' : '   '}  ✗ ${span.status.message}`, width)));
    const kids = children.get(span.spanId) ?? [];
    const nextPrefix = prefix + (branch === '├─ ' ? '│  ' : branch === '└─ ' ? '   ' : '');
    kids.forEach((kid, i) => walk(kid, nextPrefix, i === kids.length - 1 ? '└─ ' : '├─ '));
  };
  for (const root of roots) walk(root, '', '');
  return lines;
}

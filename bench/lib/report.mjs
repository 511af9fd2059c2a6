// Turns raw runs into medians (min–max) with per-run ratios to plain node, and renders Markdown.
import { median, summarize } from './stats.mjs';

// Issue 7's targets for our preload (100 % sampling, all three signals on).
const TARGETS = { startupAddedMs: 100, helloCpuAddedUs: 23, workCpuAddedUs: 75, rssAddedMB: 30, packages: 90, installMB: 55 };
const METRICS = ['rps', 'p50Ms', 'p99Ms', 'cpuUsPerReq'];

const okRun = (r) => r && !r.failed;

/** Per-run pairs (config run i, plain run i): runs are interleaved, so run i shared conditions. */
function paired(runs, plainRuns, get, combine) {
  const out = [];
  for (let i = 0; i < runs.length; i++) {
    const a = runs[i];
    const b = plainRuns[i];
    if (!okRun(a) || !okRun(b)) continue;
    const x = get(a);
    const y = get(b);
    if (Number.isFinite(x) && Number.isFinite(y)) out.push(combine(x, y));
  }
  return out;
}
const diff = (x, y) => x - y;
const ratio = (x, y) => (y === 0 ? NaN : x / y);

export function summarizeResults(report, opts) {
  const plain = report.configs.plain;
  const summary = {};
  for (const [name, c] of Object.entries(report.configs)) {
    const ok = c.runs.filter(okRun);
    const s = { label: c.label, runs: c.runs.length, okRuns: ok.length };
    s.emptyModuleMs = summarize(c.emptyModuleMs);
    s.emptyFirstLineMs = summarize(c.emptyFirstLineMs ?? []);
    s.emptyCjsFiles = median(c.emptyCjsFiles ?? []);
    if (plain && name !== 'plain') {
      s.emptyModuleAddedMs = s.emptyModuleMs.median - median(plain.emptyModuleMs);
      s.emptyFirstLineAddedMs = s.emptyFirstLineMs.median - median(plain.emptyFirstLineMs ?? []);
    }
    for (const key of ['startupMs', 'rssIdleMB', 'rssAfterMB']) {
      s[key] = summarize(ok.map((r) => r[key]));
      if (plain && name !== 'plain') {
        s[key].added = median(paired(c.runs, plain.runs, (r) => r[key], diff));
        s[key].ratio = median(paired(c.runs, plain.runs, (r) => r[key], ratio));
      }
    }
    s.endpoints = {};
    for (const endpoint of opts.endpoints) {
      const e = {};
      for (const m of METRICS) {
        const get = (r) => r.endpoints?.[endpoint]?.[m];
        e[m] = summarize(ok.map(get));
        if (plain && name !== 'plain') {
          e[m].added = median(paired(c.runs, plain.runs, get, diff));
          e[m].ratio = median(paired(c.runs, plain.runs, get, ratio));
        }
      }
      s.endpoints[endpoint] = e;
    }
    const verified = ok.filter((r) => r.verify);
    if (verified.length) {
      s.exportCheck = {
        passed: verified.filter((r) => r.verify.ok).length,
        of: verified.length,
        problems: [...new Set(verified.flatMap((r) => r.verify.problems))].slice(0, 5),
        spansPerWork: median(verified.map((r) => r.verify.spansPerWork)),
        workSpanNames: verified.find((r) => r.verify.ok)?.verify.workSpanNames ?? verified[0].verify.workSpanNames,
        spanCoverage: summarize(verified.map((r) => r.spanCoverage)),
        metricNames: verified[0].sink.metricNames,
        protocols: verified[0].sink.protocols,
        crossChecked: verified.reduce((acc, r) => {
          const c = r.sink.crossChecked ?? {};
          if (c.unavailable) acc.unavailable = c.unavailable;
          acc.requests += c.requests ?? 0;
          acc.mismatches += c.mismatches ?? 0;
          return acc;
        }, { requests: 0, mismatches: 0 }),
      };
    }
    summary[name] = s;
  }
  const obs = summary.obs;
  const official = summary.official;
  if (obs) {
    const third = (ep) => (official ? official.endpoints[ep]?.cpuUsPerReq.added / 3 : NaN);
    summary.targets = [
      target('start-up added (preload on an empty module, spawn → exit)', obs.emptyModuleAddedMs, TARGETS.startupAddedMs, 'ms'),
      target('start-up added (preload on an empty module, spawn → its first line)', obs.emptyFirstLineAddedMs, TARGETS.startupAddedMs, 'ms'),
      target('CPU added per /hello request', obs.endpoints['/hello']?.cpuUsPerReq.added, TARGETS.helloCpuAddedUs, 'µs', third('/hello')),
      target('CPU added per /work request', obs.endpoints['/work']?.cpuUsPerReq.added, TARGETS.workCpuAddedUs, 'µs', third('/work')),
      target('RSS added after load', obs.rssAfterMB.added, TARGETS.rssAddedMB, 'MB'),
      target('installed packages', report.footprint?.obs?.packages, TARGETS.packages, ''),
      target('installed size', report.footprint?.obs?.mb, TARGETS.installMB, 'MB'),
    ];
  }
  return summary;
}

function target(what, value, limit, unit, thirdOfOfficial) {
  return { what, value, limit, unit, thirdOfOfficial, met: Number.isFinite(value) ? value <= limit : null };
}

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const range = (s, d = 0) => (s && s.n ? `${fmt(s.median, d)} (${fmt(s.min, d)}–${fmt(s.max, d)})` : '–');
const signed = (x, d = 0) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${fmt(x, d)}` : '–');
const times = (x) => (Number.isFinite(x) ? `×${x.toFixed(2)}` : '–');

export function renderMarkdown(report, opts) {
  const { meta, summary } = report;
  const names = Object.keys(report.configs);
  const lines = [];
  lines.push('# Overhead benchmark', '');
  lines.push(
    `${meta.date}, Node ${meta.node}, ${meta.cpus}, commit ${meta.commit || '?'}. ` +
      `${opts.runs} interleaved run(s) per configuration, fresh process each; autocannon -c ${opts.connections}, ` +
      `${opts.warmupS} s warm-up + ${opts.durationS} s measured per endpoint. Median (min–max); ` +
      '"+" and "×" are the median of per-run differences and ratios to plain node in the same run. ' +
      `CPU = the app process's user+system time during the measured window / requests. Load average at the end: ${meta.loadavgAtEnd.join(' ')}.`,
    '',
  );
  lines.push('## Start-up, memory, install', '');
  lines.push('| configuration | empty module: spawn → exit, ms | empty module: spawn → first line, ms | CommonJS files loaded before the first line | app: spawn → listening, ms | RSS after load, MB | installed | export check |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const name of names) {
    const s = summary[name];
    const isPlain = name === 'plain';
    const add = (x, d = 0) => (isPlain ? '' : ` **${signed(x, d)}**`);
    const base = report.configs[name].base ?? name;
    const fp = report.footprint?.[base === 'official-min' ? 'official' : base];
    const installed = isPlain ? '–' : fp ? (fp.failed ? 'failed' : `${fp.packages} packages, ${fmt(fp.mb)} MB`) : 'not measured';
    lines.push(
      `| ${s.label} | ${range(s.emptyModuleMs)}${add(s.emptyModuleAddedMs)} | ${range(s.emptyFirstLineMs)}${add(s.emptyFirstLineAddedMs)} | ${fmt(s.emptyCjsFiles)} | ${range(s.startupMs)}${add(s.startupMs.added)} | ` +
        `${range(s.rssAfterMB)}${add(s.rssAfterMB.added)} | ${installed} | ${exportCell(s)} |`,
    );
  }
  for (const endpoint of opts.endpoints) {
    lines.push('', `## GET ${endpoint}${endpoint === '/hello' ? ' (no I/O)' : endpoint === '/work' ? ' (1 pg query + 2 redis commands + 1 log line)' : ''}`, '');
    lines.push('| configuration | CPU µs/request | requests/s | p50 latency, ms | p99 latency, ms |');
    lines.push('|---|---|---|---|---|');
    for (const name of names) {
      const e = summary[name].endpoints[endpoint];
      const isPlain = name === 'plain';
      const cpu = `${range(e.cpuUsPerReq)}${isPlain ? '' : ` **${signed(e.cpuUsPerReq.added)}** ${times(e.cpuUsPerReq.ratio)}`}`;
      const rps = `${range(e.rps)}${isPlain ? '' : ` ${times(e.rps.ratio)}`}`;
      lines.push(`| ${summary[name].label} | ${cpu} | ${rps} | ${range(e.p50Ms, 1)} | ${range(e.p99Ms, 1)} |`);
    }
  }
  if (summary.targets) {
    lines.push('', '## Issue 7 targets for @org/obs', '');
    lines.push('| target | measured | limit | met |', '|---|---|---|---|');
    for (const t of summary.targets) {
      const extra = Number.isFinite(t.thirdOfOfficial) ? ` (⅓ of the official's added: ${fmt(t.thirdOfOfficial)} ${t.unit})` : '';
      const value = Number.isFinite(t.value) ? `${fmt(t.value, t.unit === 'MB' ? 1 : 0)} ${t.unit}`.trim() : 'not measured';
      lines.push(`| ${t.what} | ${value} | ${`${t.limit} ${t.unit}`.trim()}${extra} | ${t.met === null ? '–' : t.met ? 'yes' : '**no**'} |`);
    }
  }
  const fps = Object.entries(report.footprint ?? {}).filter(([, f]) => !f.failed);
  if (fps.length) {
    lines.push('', '## Install footprint (`npm install <package>` into an empty folder, production dependencies)', '');
    lines.push('| package | packages | MB | largest |', '|---|---|---|---|');
    for (const [, f] of fps) {
      lines.push(`| ${f.spec} | ${f.packages} | ${fmt(f.mb)} | ${(f.largest ?? []).slice(0, 6).map((p) => `${p.name} ${p.mb}`).join(', ')} |`);
    }
  }
  const failures = Object.entries(report.failures ?? {});
  const failedRuns = names.flatMap((n) => report.configs[n].runs.filter((r) => r.failed).map((r) => `${n}: ${r.failed.split('\n')[0]}`));
  if (failures.length || failedRuns.length) {
    lines.push('', '## Failures', '');
    for (const [name, why] of failures) lines.push(`- ${name}: ${why.split('\n')[0]}`);
    for (const line of failedRuns) lines.push(`- ${line}`);
  }
  const checked = names.filter((n) => summary[n].exportCheck);
  if (checked.length) {
    lines.push('', '## What each configuration exported (from the sink)', '');
    for (const name of checked) {
      const x = summary[name].exportCheck;
      lines.push(`- ${summary[name].label}: ${x.spansPerWork} spans per /work trace: ${x.workSpanNames.join('; ')}. ` +
        `Transports: ${x.protocols.join(', ')}. Metrics: ${x.metricNames.length} names. ` +
        (x.crossChecked.unavailable
          ? `Cross-check with src/cli/receiver unavailable (${x.crossChecked.unavailable}).`
          : `Cross-checked ${x.crossChecked.requests} export requests against src/cli/receiver's decoder: ${x.crossChecked.mismatches} mismatches.`) +
        (x.problems.length ? ` Problems: ${x.problems.join('; ')}` : ''));
    }
  }
  lines.push('');
  return lines.join('\n');
}

function exportCell(s) {
  const x = s.exportCheck;
  if (!x) return '–';
  const coverage = Number.isFinite(x.spanCoverage.median) ? `, ${Math.round(x.spanCoverage.min * 100)}% of expected spans received` : '';
  return `${x.passed}/${x.of} runs ok${x.passed < x.of ? ' **FAILED**' : ''}, ${fmt(x.spansPerWork)} spans per /work${coverage}`;
}

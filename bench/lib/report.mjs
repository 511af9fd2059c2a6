// Turns raw runs into medians (min–max) with per-run ratios to plain node, and renders Markdown.
import { median, summarize } from './stats.mjs';

// Issue 15's targets for our preload (100 % sampling, all three signals on), Node 24 first.
const TARGETS = {
  cpuShareOfOfficial: 0.25, // CPU added per request ≤ ¼ of the official register's added CPU
  emptyModuleAddedMs: 50, // start-up added on an empty module (spawn → its first line)
  listeningAddedMs: 100, // spawn → listening, bench app
  loopBlockMs: 20, // no event-loop block over 20 ms under load, first export included
  rssAtRateAddedMB: 30, // RSS added at an equal (fixed) request rate
};
const METRICS = ['rps', 'p50Ms', 'p99Ms', 'cpuUsPerReq'];
// The memory breakdown's columns (bench/memory.mjs, MB): what RSS is made of.
const MEM_PARTS = [
  ['rss', 'RSS'],
  ['heapPhysical', 'V8 heap (resident)'],
  ['new.size', 'new space'],
  ['new.committed', 'new space committed'],
  ['old.size', 'old space'],
  ['code.size', 'code space'],
  ['large_object.size', 'large objects'],
  ['trusted.size', 'trusted'],
  ['heapUsed', 'heap used'],
  ['external', 'external'],
  ['arrayBuffers', 'of which ArrayBuffers'],
  ['other', 'other (RSS − heap − ArrayBuffers)'],
  ['peakMalloced', 'of which V8 malloc, peak'],
];
const MEM_PHASES = [
  ['idle', 'idle, right after listening'],
  ['atRate', 'after the fixed-rate phase'],
  ['afterMax', 'after max load'],
];

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
    for (const key of ['startupMs', 'rssIdleMB', 'rssAtRateMB', 'rssAfterMB']) {
      s[key] = summarize(ok.map((r) => r[key]));
      if (plain && name !== 'plain') {
        s[key].added = median(paired(c.runs, plain.runs, (r) => r[key], diff));
        s[key].ratio = median(paired(c.runs, plain.runs, (r) => r[key], ratio));
      }
    }
    s.mem = {};
    for (const [phase] of MEM_PHASES) {
      const parts = {};
      for (const [key] of MEM_PARTS) {
        const get = (r) => r.mem?.[phase]?.[key];
        parts[key] = summarize(ok.map(get).filter(Number.isFinite));
        if (plain && name !== 'plain') parts[key].added = median(paired(c.runs, plain.runs, get, diff));
      }
      if (Number.isFinite(parts.rss.median)) s.mem[phase] = parts;
    }
    s.endpoints = {};
    s.atRate = {};
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
      const r = {};
      for (const m of METRICS) {
        const get = (run) => run.atRate?.[endpoint]?.[m];
        r[m] = summarize(ok.map(get));
        if (plain && name !== 'plain') r[m].added = median(paired(c.runs, plain.runs, get, diff));
      }
      s.atRate[endpoint] = r;
    }
    // Event-loop blocks seen by the app's watcher since listening: the worst run counts.
    // "onCpu": the part of each late tick the main thread was running (Node 24+), so a process the
    // busy machine did not schedule is not charged with a block.
    s.loopAtRate = worstLoop(ok.map((r) => r.loopAtRate));
    s.loop = worstLoop(ok.map((r) => r.loop));
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
    const quarter = (ep) => (official ? official.endpoints[ep]?.cpuUsPerReq.added * TARGETS.cpuShareOfOfficial : NaN);
    const cpuNote = (ep) => (official ? `¼ of the official's added ${fmt(official.endpoints[ep]?.cpuUsPerReq.added)} µs` : 'needs the official configuration');
    const rateNote = opts.rate > 0 ? `at ${opts.rate} req/s` : 'needs --rate';
    const plainLoop = summary.plain?.loop;
    const checked = Object.values(summary).filter((x) => x && x.exportCheck);
    const passed = checked.filter((x) => x.exportCheck.passed === x.exportCheck.of && x.exportCheck.of > 0).length;
    summary.targets = [
      target('CPU added per /hello request', obs.endpoints['/hello']?.cpuUsPerReq.added, quarter('/hello'), 'µs', cpuNote('/hello')),
      target('CPU added per /work request', obs.endpoints['/work']?.cpuUsPerReq.added, quarter('/work'), 'µs', cpuNote('/work')),
      target('start-up added, empty module (spawn → its first line)', obs.emptyFirstLineAddedMs, TARGETS.emptyModuleAddedMs, 'ms'),
      target('start-up added, bench app (spawn → listening)', obs.startupMs.added, TARGETS.listeningAddedMs, 'ms'),
      loopTarget(opts.rate > 0 ? obs.loopAtRate : obs.loop, opts.rate > 0 ? summary.plain?.loopAtRate : plainLoop, opts.rate),
      target(`RSS added ${rateNote}`, obs.rssAtRateMB.added, TARGETS.rssAtRateAddedMB, 'MB'),
      {
        what: 'every instrumented configuration exports what it must (export check)',
        value: checked.length ? passed : NaN,
        limit: checked.length,
        unit: 'configurations',
        note: checked.filter((x) => x.exportCheck.passed < x.exportCheck.of).map((x) => `failed: ${x.label}`).join('; '),
        met: checked.length ? passed === checked.length : null,
      },
    ];
  }
  return summary;
}

/** Worst event-loop figures over runs (one phase): "at any time" means the worst run counts. */
function worstLoop(perRun) {
  const loops = perRun.filter(Boolean);
  if (!loops.length) return undefined;
  const onCpu = loops.every((l) => Number.isFinite(l.cpuMaxMs));
  return {
    maxMs: Math.max(...loops.map((l) => l.maxMs)),
    over20: loops.reduce((n, l) => n + l.over20, 0),
    cpuMaxMs: onCpu ? Math.max(...loops.map((l) => l.cpuMaxMs)) : NaN,
    cpuOver20: onCpu ? loops.reduce((n, l) => n + l.cpuOver20, 0) : NaN,
    runs: loops.length,
  };
}

/** The block target: on-CPU figures where Node has them (24+), wall-clock lateness otherwise; at the
 *  fixed rate when there is one (at full speed one loop turn serves a burst of requests, plain node too). */
function loopTarget(loop, plainLoop, rate) {
  const what = `longest event-loop block ${rate > 0 ? `at ${rate} req/s` : 'under max load'} (worst run, first export included)`;
  if (!loop) return target(what, NaN, TARGETS.loopBlockMs, 'ms', 'needs the loop monitor');
  const cpu = Number.isFinite(loop.cpuMaxMs);
  const key = cpu ? 'cpuMaxMs' : 'maxMs';
  const count = cpu ? 'cpuOver20' : 'over20';
  const plain = plainLoop ? `plain node: ${fmt(plainLoop[key], 1)} ms, ${fmt(plainLoop[count])} block(s)` : 'plain node not watched';
  const note = `${cpu ? 'on-CPU' : 'wall clock'}; ${loop[count]} block(s) > 20 ms in ${loop.runs} run(s); ${plain}`;
  return target(what, loop[key], TARGETS.loopBlockMs, 'ms', note);
}

function target(what, value, limit, unit, note = '') {
  const met = Number.isFinite(value) && Number.isFinite(limit) ? value <= limit : null;
  return { what, value, limit, unit, note, met };
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
      `CPU = the app process's user+system time during the measured window / requests. ` +
      (opts.rate > 0 ? `Each process first runs every endpoint at a fixed ${opts.rate} req/s (RSS and p99 at an equal rate), then at full speed. ` : '') +
      (opts.loopMonitor ? 'Event-loop blocks: a 1 ms interval watcher inside the app (bench/loop-monitor.mjs), from listening to the end of the export check. ' : '') +
      `Load average at the end: ${meta.loadavgAtEnd.join(' ')}.`,
    '',
  );
  lines.push('## Start-up, memory, install', '');
  const rateHead = opts.rate > 0 ? `RSS after ${opts.rate} req/s, MB` : 'RSS at a fixed rate (off), MB';
  const loopHead = opts.rate > 0 ? `event loop at ${opts.rate} req/s: longest block, ms (blocks > 20 ms)` : 'event loop at a fixed rate (off)';
  lines.push(`| configuration | empty module: spawn → exit, ms | empty module: spawn → first line, ms | CommonJS files loaded before the first line | app: spawn → listening, ms | ${rateHead} | RSS after max load, MB | ${loopHead} | event loop at max load + export check | installed | export check |`);
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const name of names) {
    const s = summary[name];
    const isPlain = name === 'plain';
    const add = (x, d = 0) => (isPlain ? '' : ` **${signed(x, d)}**`);
    const base = report.configs[name].base ?? name;
    const fp = report.footprint?.[base === 'official-min' ? 'official' : base];
    const installed = isPlain ? '–' : fp ? (fp.failed ? 'failed' : `${fp.packages} packages, ${fmt(fp.mb)} MB`) : 'not measured';
    lines.push(
      `| ${s.label} | ${range(s.emptyModuleMs)}${add(s.emptyModuleAddedMs)} | ${range(s.emptyFirstLineMs)}${add(s.emptyFirstLineAddedMs)} | ${fmt(s.emptyCjsFiles)} | ${range(s.startupMs)}${add(s.startupMs.added)} | ` +
        `${range(s.rssAtRateMB)}${add(s.rssAtRateMB.added)} | ${range(s.rssAfterMB)}${add(s.rssAfterMB.added)} | ${loopCell(s.loopAtRate)} | ${loopCell(s.loop)} | ${installed} | ${exportCell(s)} |`,
    );
  }
  for (const [phase, title] of MEM_PHASES) {
    if (!names.some((n) => summary[n].mem?.[phase])) continue;
    const when = phase === 'atRate' ? `after ${opts.rate} req/s on ${opts.endpoints.join(' then ')}` : title;
    lines.push('', `### Memory ${when}: median MB (**added** over plain node, median of per-run differences)`, '');
    lines.push(`| configuration | ${MEM_PARTS.map(([, head]) => head).join(' | ')} |`);
    lines.push(`|---|${MEM_PARTS.map(() => '---').join('|')}|`);
    for (const name of names) {
      const m = summary[name].mem?.[phase];
      if (!m) continue;
      const cell = (/** @type {any} */ x) => `${fmt(x.median, 1)}${name === 'plain' ? '' : ` **${signed(x.added, 1)}**`}`;
      lines.push(`| ${summary[name].label} | ${MEM_PARTS.map(([key]) => cell(m[key])).join(' | ')} |`);
    }
  }
  for (const endpoint of opts.endpoints) {
    lines.push('', `## GET ${endpoint}${endpoint === '/hello' ? ' (no I/O)' : endpoint === '/work' ? ' (1 pg query + 2 redis commands + 1 log line)' : ''}`, '');
    if (opts.maxLoad !== false) lines.push('| configuration | CPU µs/request | requests/s | p50 latency, ms | p99 latency, ms |');
    if (opts.maxLoad !== false) lines.push('|---|---|---|---|---|');
    for (const name of opts.maxLoad === false ? [] : names) {
      const e = summary[name].endpoints[endpoint];
      const isPlain = name === 'plain';
      const cpu = `${range(e.cpuUsPerReq)}${isPlain ? '' : ` **${signed(e.cpuUsPerReq.added)}** ${times(e.cpuUsPerReq.ratio)}`}`;
      const rps = `${range(e.rps)}${isPlain ? '' : ` ${times(e.rps.ratio)}`}`;
      lines.push(`| ${summary[name].label} | ${cpu} | ${rps} | ${range(e.p50Ms, 1)} | ${range(e.p99Ms, 1)} |`);
    }
    if (opts.rate > 0) {
      lines.push('', `At a fixed ${opts.rate} req/s (autocannon overallRate, same connections), before the max-throughput windows:`, '');
      lines.push('| configuration | requests/s reached | CPU µs/request | p50 latency, ms | p99 latency, ms |');
      lines.push('|---|---|---|---|---|');
      for (const name of names) {
        const r = summary[name].atRate[endpoint];
        const isPlain = name === 'plain';
        const p99 = `${range(r.p99Ms, 1)}${isPlain ? '' : ` **${signed(r.p99Ms.added, 1)}**`}`;
        const cpu = `${range(r.cpuUsPerReq)}${isPlain ? '' : ` **${signed(r.cpuUsPerReq.added)}**`}`;
        lines.push(`| ${summary[name].label} | ${range(r.rps)} | ${cpu} | ${range(r.p50Ms, 1)} | ${p99} |`);
      }
    }
  }
  if (summary.targets) {
    lines.push('', `## Issue 15 targets for @org/obs (app on Node ${meta.node})`, '');
    lines.push('| target | measured | limit | met |', '|---|---|---|---|');
    for (const t of summary.targets) {
      const d = t.unit === 'MB' || t.unit === 'ms' ? 1 : 0;
      const value = Number.isFinite(t.value) ? `${fmt(t.value, d)} ${t.unit}`.trim() : 'not measured';
      const limit = Number.isFinite(t.limit) ? `${fmt(t.limit, d)} ${t.unit}`.trim() : '–';
      lines.push(`| ${t.what} | ${value} | ${limit}${t.note ? ` (${t.note})` : ''} | ${t.met === null ? '–' : t.met ? 'yes' : '**no**'} |`);
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

function loopCell(loop) {
  if (!loop) return '–';
  const wall = `${fmt(loop.maxMs, 1)} (${loop.over20})`;
  return Number.isFinite(loop.cpuMaxMs) ? `on-CPU ${fmt(loop.cpuMaxMs, 1)} (${loop.cpuOver20}); wall ${wall}` : `wall ${wall}`;
}

function exportCell(s) {
  const x = s.exportCheck;
  if (!x) return '–';
  const coverage = Number.isFinite(x.spanCoverage.median) ? `, ${Math.round(x.spanCoverage.min * 100)}% of expected spans received` : '';
  return `${x.passed}/${x.of} runs ok${x.passed < x.of ? ' **FAILED**' : ''}, ${fmt(x.spansPerWork)} spans per /work${coverage}`;
}

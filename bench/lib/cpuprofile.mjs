// Reads a V8 .cpuprofile and aggregates self time by package and by function.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Packages whose cost is the price of telemetry (ours, upstream OpenTelemetry and their helpers).
const TELEMETRY = /^(@org\/obs|@opentelemetry\/|@grpc\/|protobufjs|@protobufjs\/|import-in-the-middle|require-in-the-middle|shimmer|module-details-from-path)/;

function toPath(url) {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  }
  return url;
}

/** Which package a call frame belongs to. */
export function packageOf(callFrame, repoDir) {
  const { url, functionName } = callFrame;
  if (!url) {
    if (/^\((garbage collector|program|idle|root)\)$/.test(functionName)) return functionName;
    return '(native)';
  }
  if (url.startsWith('node:')) return 'node core';
  const file = toPath(url);
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = file.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (repoDir && file.startsWith(`${repoDir}/bench/`)) return 'app (bench fixture)';
  if (repoDir && file.startsWith(`${repoDir}/`)) return '@org/obs';
  return 'other';
}

/** @param {string} file @param {{ repoDir?: string }} [opts] */
export function analyzeProfile(file, { repoDir } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map(); // node id → µs
  const { samples, timeDeltas } = profile;
  // The time until the next sample was spent where sample i was taken, but capped: on a busy
  // machine the sampler thread is sometimes descheduled for 100+ ms, and charging such a gap to
  // whatever function happened to be sampled last invents hot spots.
  const sortedDeltas = [...timeDeltas].sort((a, b) => a - b);
  const cap = 3 * (sortedDeltas[sortedDeltas.length >> 1] || 1000);
  for (let i = 0; i < samples.length; i++) {
    const dt = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + Math.min(Math.max(0, dt), cap));
  }
  // Parents, to charge node-core and native time to the nearest package frame that called it
  // (module compilation to the package that imported, socket writes to who wrote, ...).
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const NOT_A_PACKAGE = new Set(['node core', '(native)', '(program)', '(garbage collector)', '(root)', '(idle)']);
  const attributedTo = (id) => {
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const pkg = packageOf(byId.get(cur).callFrame, repoDir);
      if (!NOT_A_PACKAGE.has(pkg)) return pkg;
    }
    return packageOf(byId.get(id).callFrame, repoDir);
  };
  const attributed = new Map();
  const packages = new Map();
  const functions = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    const pkg = packageOf(node.callFrame, repoDir);
    total += us;
    if (pkg === '(idle)') {
      idle += us;
      continue;
    }
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const owner = attributedTo(id);
    attributed.set(owner, (attributed.get(owner) ?? 0) + us);
    const cf = node.callFrame;
    const where = cf.url ? `${shortPath(toPath(cf.url), repoDir)}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName || '(anonymous)'}\t${pkg}\t${where}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const busy = total - idle;
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  const telemetry = sorted(packages).filter(([p]) => TELEMETRY.test(p)).reduce((sum, [, us]) => sum + us, 0);
  const telemetryAttributed = sorted(attributed).filter(([p]) => TELEMETRY.test(p)).reduce((sum, [, us]) => sum + us, 0);
  return {
    totalMs: total / 1000,
    busyMs: busy / 1000,
    telemetryPct: busy ? (telemetry / busy) * 100 : 0,
    telemetryAttributedPct: busy ? (telemetryAttributed / busy) * 100 : 0,
    packages: sorted(packages).map(([name, us]) => ({ name, ms: us / 1000, pct: busy ? (us / busy) * 100 : 0 })),
    attributed: sorted(attributed).map(([name, us]) => ({ name, ms: us / 1000, pct: busy ? (us / busy) * 100 : 0 })),
    functions: sorted(functions).map(([key, us]) => {
      const [name, pkg, where] = key.split('\t');
      return { name, package: pkg, where, ms: us / 1000, pct: busy ? (us / busy) * 100 : 0 };
    }),
  };
}

function shortPath(file, repoDir) {
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) return file.slice(nm + '/node_modules/'.length);
  if (repoDir && file.startsWith(`${repoDir}/`)) return file.slice(repoDir.length + 1);
  return file;
}

export function renderProfile(a, { title, file, top = 25 }) {
  const lines = [`# CPU profile: ${title}`, ''];
  if (file) lines.push(`${file}: ${a.busyMs.toFixed(0)} ms busy of ${a.totalMs.toFixed(0)} ms sampled; telemetry packages (ours, @opentelemetry/*, gRPC, protobuf, hooks): ${a.telemetryPct.toFixed(1)} % of busy in their own functions, ${a.telemetryAttributedPct.toFixed(1)} % with what they called.`, '');
  lines.push('## By package (% of busy)', '');
  lines.push('"self": time in the package\'s own functions. "with what it called": plus the node-core and native time charged to the nearest package frame on the stack (module loading goes to the importer, socket writes to the writer); GC stays apart.', '');
  lines.push('| package | self ms | self % | with what it called, ms | % |', '|---|---|---|---|---|');
  const attributed = new Map(a.attributed.map((p) => [p.name, p]));
  const names = [...new Set([...a.attributed.slice(0, top).map((p) => p.name), ...a.packages.slice(0, top).map((p) => p.name)])];
  names.sort((x, y) => (attributed.get(y)?.ms ?? 0) - (attributed.get(x)?.ms ?? 0));
  for (const name of names) {
    const self = a.packages.find((p) => p.name === name);
    const att = attributed.get(name);
    lines.push(`| ${name} | ${self ? self.ms.toFixed(0) : '0'} | ${self ? self.pct.toFixed(1) : '0.0'} | ${att ? att.ms.toFixed(0) : '0'} | ${att ? att.pct.toFixed(1) : '0.0'} |`);
  }
  lines.push('', 'V8 samples wall-clock time: when the app is preempted (a loopback `writev` wakes the load generator on a 2-core machine), the wait shows up as self time of the function it stopped in, mostly `writev`.');
  lines.push('', '## Top functions by self time', '', '| function | package | where | ms | % |', '|---|---|---|---|---|');
  for (const f of a.functions.slice(0, top)) lines.push(`| ${f.name} | ${f.package} | ${f.where} | ${f.ms.toFixed(0)} | ${f.pct.toFixed(1)} |`);
  lines.push('');
  return lines.join('\n');
}

// --cpu-prof mode: one configuration under load with V8's CPU profiler, then the top self-time
// costs aggregated by package, so optimisation follows the profile, not guesses.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startApp, timeEmptyModule } from './app-process.mjs';
import { load } from './load.mjs';
import { threadCpuMicros } from './proc.mjs';
import { analyzeProfile, packageOf, renderProfile } from './cpuprofile.mjs';
import { pathToFileURL } from 'node:url';

export async function profileConfig({ config, opts, sink, repoDir, benchDir, appPath, log, node = process.execPath }) {
  // One folder per profiling run: V8 writes one profile per thread (the ESM loader hooks run in
  // their own thread), named CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile.
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const dir = path.join(benchDir, 'results', 'profiles', `${config.name}-${opts.endpoint.replace(/\W+/g, '')}-${stamp}`);
  mkdirSync(dir, { recursive: true });
  const execArgv = [...config.execArgv, '--cpu-prof', '--cpu-prof-dir', dir];
  if (opts.endpoint === 'startup') {
    // Start-up only: the preload on the empty module, run to exit.
    const listFile = path.join(dir, 'modules-before-first-line.json');
    const env = { ...config.env, BENCH_LIST_MODULES: listFile };
    const t = await timeEmptyModule({ execArgv, env, cwd: repoDir, modulePath: path.join(benchDir, 'empty.mjs'), node });
    log(`empty module: first line after ${Math.round(t.firstLineMs)} ms, exit after ${Math.round(t.exitMs)} ms (profiler on: inflated)`);
    report(dir, config, 'start-up on an empty module', repoDir);
    process.stdout.write(modulesByPackage(JSON.parse(readFileSync(listFile, 'utf8')), repoDir));
    return;
  }
  sink.reset();
  const app = startApp({ execArgv, env: config.env, cwd: repoDir, appPath, node });
  const { port } = await app.ready;
  const pid = /** @type {number} */ (app.child.pid);
  const url = `http://127.0.0.1:${port}${opts.endpoint}`;
  log(`profiling ${config.name} on ${opts.endpoint}: ${opts.warmupS} s warm-up + ${opts.durationS} s`);
  await load({ url, connections: opts.connections, durationS: opts.warmupS, pid });
  const threadsBefore = threadCpuMicros(pid);
  const measured = await load({ url, connections: opts.connections, durationS: opts.durationS, pid });
  const threadsAfter = threadCpuMicros(pid);
  log(`${Math.round(measured.rps)} req/s, ${Math.round(measured.cpuUsPerReq)} µs CPU/request (profiler on: inflated)`);
  // The profile sees the main thread only: the rest (GC helpers, libuv's pool, the profiler's own thread) per request here.
  const perThread = [...threadsAfter].map(([name, us]) => ({ name, us: (us - (threadsBefore.get(name) ?? 0)) / measured.requests }));
  log(`CPU µs/request by thread: ${perThread.filter((t) => t.us > 0).sort((a, b) => b.us - a.us).map((t) => `${t.name} ${t.us.toFixed(1)}`).join(', ')}`);
  app.child.kill('SIGINT'); // the app exits gracefully on SIGINT, so V8 writes the profile
  const exited = await Promise.race([
    new Promise((resolve) => app.child.once('exit', () => resolve(true))),
    new Promise((resolve) => setTimeout(() => resolve(false), 15_000)),
  ]);
  if (!exited) await app.stop();
  report(dir, config, `GET ${opts.endpoint}`, repoDir);
}

function report(dir, config, what, repoDir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const main = files.find((f) => f.split('.')[4] === '0'); // thread id 0: the app's main thread
  if (!main) throw new Error(`no main-thread profile in ${dir} (files: ${files.join(', ') || 'none'})`);
  const analysis = analyzeProfile(path.join(dir, main), { repoDir });
  const file = path.relative(process.cwd(), path.join(dir, main));
  process.stdout.write(renderProfile(analysis, { title: `${config.label}, ${what} (main thread)`, file }));
  for (const other of files.filter((f) => f !== main)) {
    const a = analyzeProfile(path.join(dir, other), { repoDir });
    process.stdout.write(`Other thread ${other}: ${a.busyMs.toFixed(0)} ms busy (top: ${a.packages.slice(0, 3).map((p) => p.name).join(', ')}).\n`);
  }
}

/** CommonJS files loaded before the app's first line, by package: what start-up could defer. */
function modulesByPackage(files, repoDir) {
  const counts = new Map();
  for (const file of files) {
    const pkg = packageOf({ url: pathToFileURL(file).href, functionName: '' }, repoDir);
    counts.set(pkg, (counts.get(pkg) ?? 0) + 1);
  }
  const rows = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const lines = ['', `## CommonJS files loaded before the app's first line: ${files.length}`, '', '| package | files |', '|---|---|'];
  for (const [pkg, n] of rows) lines.push(`| ${pkg} | ${n} |`);
  lines.push('', '(ESM modules, such as our own dist/, are not counted: they are not in require.cache.)', '');
  return lines.join('\n');
}

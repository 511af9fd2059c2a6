// --cpu-prof mode: one configuration under load with V8's CPU profiler, then the top self-time
// costs aggregated by package, so optimisation follows the profile, not guesses.
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startApp } from './app-process.mjs';
import { load } from './load.mjs';
import { analyzeProfile, renderProfile } from './cpuprofile.mjs';

export async function profileConfig({ config, opts, sink, repoDir, benchDir, appPath, log }) {
  // One folder per profiling run: V8 writes one profile per thread (the ESM loader hooks run in
  // their own thread), named CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile.
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const dir = path.join(benchDir, 'results', 'profiles', `${config.name}${opts.endpoint.replace(/\W+/g, '-')}-${stamp}`);
  mkdirSync(dir, { recursive: true });
  const execArgv = [...config.execArgv, '--cpu-prof', '--cpu-prof-dir', dir];
  sink.reset();
  const app = startApp({ execArgv, env: config.env, cwd: repoDir, appPath });
  const { port } = await app.ready;
  const url = `http://127.0.0.1:${port}${opts.endpoint}`;
  log(`profiling ${config.name} on ${opts.endpoint}: ${opts.warmupS} s warm-up + ${opts.durationS} s`);
  await load({ url, connections: opts.connections, durationS: opts.warmupS, pid: app.child.pid });
  const measured = await load({ url, connections: opts.connections, durationS: opts.durationS, pid: app.child.pid });
  log(`${Math.round(measured.rps)} req/s, ${Math.round(measured.cpuUsPerReq)} µs CPU/request (profiler on: inflated)`);
  app.child.kill('SIGINT'); // the app exits gracefully on SIGINT, so V8 writes the profile
  const exited = await Promise.race([
    new Promise((resolve) => app.child.once('exit', () => resolve(true))),
    new Promise((resolve) => setTimeout(() => resolve(false), 15_000)),
  ]);
  if (!exited) await app.stop();
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const main = files.find((f) => f.split('.')[4] === '0'); // thread id 0: the app's main thread
  if (!main) throw new Error(`no main-thread profile in ${dir} (files: ${files.join(', ') || 'none'})`);
  const analysis = analyzeProfile(path.join(dir, main), { repoDir });
  const file = path.relative(process.cwd(), path.join(dir, main));
  process.stdout.write(renderProfile(analysis, { title: `${config.label}, GET ${opts.endpoint} (main thread)`, file }));
  for (const other of files.filter((f) => f !== main)) {
    const a = analyzeProfile(path.join(dir, other), { repoDir });
    process.stdout.write(`Other thread ${other}: ${a.busyMs.toFixed(0)} ms busy (top: ${a.packages.slice(0, 3).map((p) => p.name).join(', ')}).\n`);
  }
}

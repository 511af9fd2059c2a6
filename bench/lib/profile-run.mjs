// --cpu-prof mode: one configuration under load with V8's CPU profiler, then the top self-time
// costs aggregated by package, so optimisation follows the profile, not guesses.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startApp } from './app-process.mjs';
import { load } from './load.mjs';
import { analyzeProfile, renderProfile } from './cpuprofile.mjs';

export async function profileConfig({ config, opts, sink, repoDir, benchDir, appPath, log }) {
  const dir = path.join(benchDir, 'results', 'profiles');
  mkdirSync(dir, { recursive: true });
  const name = `${config.name}${opts.endpoint.replace(/\W+/g, '-')}-${Date.now()}.cpuprofile`;
  const execArgv = [...config.execArgv, '--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', name];
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
  const file = path.join(dir, name);
  try {
    statSync(file);
  } catch {
    throw new Error(`no profile written at ${file} (files: ${readdirSync(dir).join(', ')})`);
  }
  const analysis = analyzeProfile(file, { repoDir });
  process.stdout.write(renderProfile(analysis, { title: `${config.label}, GET ${opts.endpoint}`, file: path.relative(process.cwd(), file) }));
}

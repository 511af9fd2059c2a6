// Starting, watching and stopping the native stack's processes; their pids live in <state>/pids.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const pidsFile = (state) => path.join(state, 'pids.json');

export function readPids(state) {
  return existsSync(pidsFile(state)) ? JSON.parse(readFileSync(pidsFile(state), 'utf8')) : {};
}

function writePids(state, pids) {
  writeFileSync(pidsFile(state), JSON.stringify(pids, null, 2));
}

/** Alive and still the binary we started (a pid can be reused after a reboot). */
export function isOurs(entry) {
  if (!entry) return false;
  try {
    process.kill(entry.pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${entry.pid}/cmdline`, 'utf8').split('\0')[0] === entry.binary;
  } catch {
    // No /proc (not Linux): trust the signal probe.
    return true;
  }
}

/** Starts one service detached (it outlives `stack up`), logs to <state>/logs/<name>.log. */
export function startService(svc, { bin, state }) {
  const logs = path.join(state, 'logs');
  mkdirSync(logs, { recursive: true });
  const binary = path.join(bin, svc.binary);
  const args = svc.prepare(svc);
  const logFile = path.join(logs, `${svc.name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, ...svc.env } });
  child.unref();
  const pids = readPids(state);
  pids[svc.name] = { pid: child.pid, binary, args, logFile, startedAt: new Date().toISOString() };
  writePids(state, pids);
  return pids[svc.name];
}

export async function healthy(url, timeoutMs = 2000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}

/** Waits for the health URL; fails early (with the log's tail) if the process dies. */
export async function waitHealthy(svc, entry, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await healthy(svc.health)) return;
    if (!isOurs(entry)) break;
    await sleep(250);
  }
  const tail = existsSync(entry.logFile) ? readFileSync(entry.logFile, 'utf8').split('\n').slice(-25).join('\n') : '';
  throw new Error(`${svc.name} did not become healthy at ${svc.health}${isOurs(entry) ? ' (still running)' : ' (exited)'}; log ${entry.logFile}:\n${tail}`);
}

/** SIGTERM, then SIGKILL after graceMs; only processes this tool started (pid + binary checked). */
export async function stopService(state, name, graceMs = 10_000) {
  const pids = readPids(state);
  const entry = pids[name];
  if (isOurs(entry)) {
    process.kill(entry.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isOurs(entry) && Date.now() < deadline) await sleep(100);
    if (isOurs(entry)) process.kill(entry.pid, 'SIGKILL');
    while (isOurs(entry)) await sleep(50);
  }
  delete pids[name];
  writePids(state, pids);
}

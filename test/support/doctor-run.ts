// Runs the built `obs doctor --json` the way a user would (no preload of its own) and parses its findings.
import path from 'node:path';
import { repoRoot } from './fixtures-dir.js';
import { runFixtureToExit } from './spawn.js';

export const OBS_CLI = path.join(repoRoot, 'dist', 'src', 'cli', 'obs.js');

export interface DoctorFinding { id: string; level: 'ok' | 'info' | 'warn' | 'fail'; text: string; fix?: string }
export interface DoctorJson { ok: boolean; findings: DoctorFinding[] }

export async function runDoctor(cwd: string, env: Record<string, string>, ...args: string[]) {
  const res = await runFixtureToExit(OBS_CLI, { preload: false, cwd, env, args: ['doctor', '--json', ...args], timeoutMs: 60_000 });
  let parsed: DoctorJson;
  try {
    parsed = JSON.parse(res.stdout) as DoctorJson;
  } catch {
    throw new Error(`obs doctor printed no JSON (code ${res.code}):\n${res.stdout}\n${res.stderr}`);
  }
  const find = (id: string) => parsed.findings.find((f) => f.id === id);
  const failures = () => JSON.stringify(parsed.findings.filter((f) => f.level === 'fail'), null, 2);
  return { ...res, report: parsed, find, failures };
}

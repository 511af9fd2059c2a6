// The configurations a bench tool runs (positional names, plain and obs by default, then --variant specs)
// and the OTLP sink they export to: what bench/callgrind.mjs and bench/alloc.mjs share.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConfig, buildVariant } from './configs.mjs';
import { startSink } from './sink.mjs';

export const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const repoDir = path.dirname(benchDir);

/**
 * @param {{ tool: string, marker: string, positionals: string[], variants: string[] }} opts
 * @returns {Promise<{ sink: Awaited<ReturnType<typeof startSink>>, configs: ReturnType<typeof buildConfig>[], log: (msg: string) => void }>}
 */
export async function benchConfigs({ tool, marker, positionals, variants }) {
  const log = (/** @type {string} */ msg) => process.stderr.write(`[${tool}] ${msg}\n`);
  const sink = await startSink({ marker });
  const ctx = { repoDir, benchDir, sink, log };
  const configs = [
    ...(positionals.length > 0 ? positionals : ['plain', 'obs']).map((name) => buildConfig(name, ctx)),
    ...variants.map((spec) => buildVariant(spec, ctx)),
  ];
  return { sink, configs, log };
}

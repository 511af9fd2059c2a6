// Benchmark fixture helper: where the app's resident memory sits (issue 15's RSS target), for /stats.
// Only node: built-ins. MB of process.memoryUsage() plus V8's heap spaces, resident (physical) pages:
// new_space grows with the bytes that survive scavenges (more allocation → more scavenges → more
// survivors), old_space holds what lives on (queues, caches, module objects), code_space the
// compiled code. "external" is not all resident: a WebAssembly memory (es-module-lexer's 16 MB,
// loaded by import-in-the-middle) counts in full but only its touched pages are in RSS. "other" =
// RSS − V8 heap (physical) − ArrayBuffers: the binary, native allocations, stacks, malloc arenas.
import v8 from 'node:v8';

const MB = 2 ** 20;

/** @returns {Record<string, number>} MB per part (space sizes: resident pages; .committed: reserved by V8) */
export function memoryBreakdown() {
  const m = process.memoryUsage();
  /** @type {Record<string, number>} */
  const out = { rss: m.rss / MB, heapTotal: m.heapTotal / MB, heapUsed: m.heapUsed / MB, external: m.external / MB, arrayBuffers: m.arrayBuffers / MB };
  let physical = 0;
  for (const s of v8.getHeapSpaceStatistics()) {
    const name = s.space_name.replace(/_space$/, '');
    out[`${name}.size`] = s.physical_space_size / MB;
    out[`${name}.committed`] = s.space_size / MB;
    out[`${name}.used`] = s.space_used_size / MB;
    physical += s.physical_space_size;
  }
  out.heapPhysical = physical / MB;
  // V8's own malloc'd memory outside the heap (compiler zones, mostly TurboFan's): part of "other".
  const h = v8.getHeapStatistics();
  out.malloced = h.malloced_memory / MB;
  out.peakMalloced = h.peak_malloced_memory / MB;
  out.other = (m.rss - physical - m.arrayBuffers) / MB;
  return out;
}

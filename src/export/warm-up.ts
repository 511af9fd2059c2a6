// Loads the exporters' modules off the live path: right after start, their files are found and read
// asynchronously, then required one at a time on idle ticks, dependencies first, so the first export
// finds them cached instead of stalling the app 50-190 ms on a synchronous load amid its traffic.
import { promises as fsPromises } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { timed } from '../lifecycle/loop-cost.js';

const REQUIRE_CALL = /\brequire\(\s*["']([^"']+)["']\s*\)/g;
const BUILTIN = new Set(builtinModules);
/** Work done per tick before yielding back to the app (one file can take longer: it is not split). */
// 2 ms rather than 4: a collection that lands inside a slice is charged to it, and under load the
// 4 ms slices reached 21-27 ms of thread CPU in test/safety-stalls (no single file above 3.5 ms).
const SLICE_MS = 2;

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTIN.has(specifier);
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1).unref());

/**
 * The lines that start at column 0: a compiled CommonJS file's own top-level requires. Requires inside
 * functions are indented and run only when called; following them loaded what a package keeps lazy on
 * purpose (grpc-js's channelz pulls @grpc/proto-loader and protobufjs's reflection only when asked:
 * 51 protobufjs files, about a third of the warm-up's CPU and memory, never used by an exporter).
 */
function topLevelLines(source: string): string {
  return source.split('\n').filter((line) => line.length > 0 && line[0] !== ' ' && line[0] !== '\t').join('\n');
}

/**
 * Packages a transport requires inside a function, at its first send: the load this warm-up exists to
 * move off the live path (otlp-grpc-exporter-base requires grpc-js only when it creates its client).
 */
const LOADED_AT_FIRST_SEND = new Set(['@grpc/grpc-js']);

/**
 * The `require("…")` targets of one file, resolved. The file is read off the thread; resolving is
 * synchronous (stat and realpath calls), so it runs in timed slices too: a file with dozens of requires
 * resolved in one go showed as an unmeasured block of the app's loop in a profile of test/safety-stalls.
 */
async function dependencies(file: string): Promise<string[]> {
  const out: string[] = [];
  try {
    const req = createRequire(file);
    // fs.promises loads on first use, on the warm-up's first idle tick, not with this module at start.
    const source = await fsPromises.readFile(file, 'utf8');
    const topLevel = [...topLevelLines(source).matchAll(REQUIRE_CALL)].map((m) => m[1]);
    const sendTime = [...source.matchAll(REQUIRE_CALL)].map((m) => m[1]).filter((s) => LOADED_AT_FIRST_SEND.has(s));
    const targets = [...new Set([...topLevel, ...sendTime])];
    let i = 0;
    while (i < targets.length) {
      timed('warm-up', () => {
        const until = performance.now() + SLICE_MS;
        for (; i < targets.length && performance.now() < until; i++) {
          // A built-in is a step of its own too: node:tls under grpc-js's channel-credentials.js took
          // 3-9 ms on its own, loaded inside that file's step.
          if (isBuiltin(targets[i])) {
            out.push(targets[i].startsWith('node:') ? targets[i] : `node:${targets[i]}`);
            continue;
          }
          try {
            out.push(req.resolve(targets[i]));
          } catch {
            // optional or conditional requires: left to the file itself
          }
        }
      });
      if (i < targets.length) await tick();
    }
  } catch {
    // unreadable: the file is loaded as is
  }
  return out;
}

/**
 * The module files `entries` load, dependencies before dependents, found by reading `require("…")`
 * calls (CommonJS: how the OpenTelemetry and gRPC packages ship). A require this cannot see is simply
 * loaded with the file that makes it.
 *
 * A cycle (a file requiring, through others, a file still being loaded) is loaded through the file
 * Node enters it by: required one by one, its other members would each see a partly built neighbour
 * that Node's own order never shows them. grpc-js's client.js failed so (`Cannot read properties of
 * undefined (reading 'prototype')`), and the next file then loaded the rest of the cycle in one 11-28 ms
 * step (Node 24, 2026-12-05).
 */
export async function loadOrder(entries: readonly string[], loaded: (file: string) => boolean, isCancelled: () => boolean): Promise<string[]> {
  /** Files (and built-ins) in load order: a Set, since whether one is in it already is asked too. */
  const order = new Set<string>();
  const seen = new Set<string>();
  /** The files being visited, outermost first: a dependency found here closes a cycle. */
  const path: string[] = [];
  /** Members of a cycle other than its entry, to the entry whose require loads them. */
  const entryOf = new Map<string, string>();
  const visit = async (file: string): Promise<void> => {
    if (file.startsWith('node:')) {
      order.add(file);
      return;
    }
    const open = path.indexOf(file);
    if (open !== -1) {
      for (const member of path.slice(open + 1)) if (!entryOf.has(member)) entryOf.set(member, file);
      return;
    }
    if (seen.has(file) || loaded(file) || isCancelled()) return;
    seen.add(file);
    path.push(file);
    const deps = await dependencies(file);
    for (const dep of deps) await visit(dep);
    path.pop();
    // A file needing a member of a cycle whose entry is not loaded yet waits for that entry too (it is
    // loaded by whoever requires it next), so it never enters the cycle by the wrong file.
    const waitsFor = deps.map((dep) => entryOf.get(dep)).find((entry) => entry !== undefined && entry !== file && !order.has(entry));
    if (waitsFor !== undefined && !entryOf.has(file)) entryOf.set(file, waitsFor);
    if (!entryOf.has(file)) order.add(file);
  };
  for (const entry of entries) await visit(entry);
  return [...order];
}

export interface WarmUp {
  /** Resolves when every module is loaded (or the warm-up gave up). */
  readonly done: Promise<void>;
  cancel(): void;
}

/**
 * Requires `packages` (resolved from `from`) file by file, at most SLICE_MS of work per tick, on
 * unref'd timers so it never keeps the app alive; then calls `then`. Failures are silent: the first
 * export loads the package itself and reports what is wrong.
 */
export function warmUp(packages: readonly string[], from: string, then?: () => void): WarmUp {
  const req = createRequire(from);
  let cancelled = false;
  const run = async (): Promise<void> => {
    await tick();
    const entries: string[] = [];
    for (const p of packages) {
      try {
        entries.push(req.resolve(p));
      } catch {
        // not installed: the exporter reports it when created
      }
    }
    const order = await loadOrder(entries, (f) => req.cache[f] !== undefined, () => cancelled);
    let i = 0;
    while (i < order.length && !cancelled) {
      timed('warm-up', () => {
        const until = performance.now() + SLICE_MS;
        for (; i < order.length && performance.now() < until; i++) {
          try {
            if (req.cache[order[i]] === undefined) req(order[i]);
          } catch {
            // a file that fails alone (load-order assumptions) is loaded by its package's own require later
          }
        }
      });
      await tick();
    }
    if (!cancelled) then?.();
  };
  return {
    done: run().catch(() => undefined),
    cancel: () => {
      cancelled = true;
    },
  };
}

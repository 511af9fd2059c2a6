// Whether an entry script runs as an ES module or CommonJS: its extension, else the nearest
// package.json's "type" (Node's own rule). Shared by the preload's report and `obs doctor`.
export type ModuleSystem = 'esm' | 'cjs';

export function moduleSystemOf(entry: string | undefined, packageType: string | undefined): ModuleSystem {
  if (entry?.endsWith('.mjs') || entry?.endsWith('.mts')) return 'esm';
  if (entry?.endsWith('.cjs') || entry?.endsWith('.cts')) return 'cjs';
  return packageType === 'module' ? 'esm' : 'cjs';
}

// Known limits: matrix checks that fail for a documented reason, shown as such instead of failing the run.
//
// Each entry names the library (module), which versions/cells it covers, why, and where it is tracked.
// A limit that stops failing is reported by the runner so it can be removed here.

/** @type {Array<{ module: string, check?: string, applies: (cell: object, version: string|null) => boolean, reason: string, link?: string }>} */
export const KNOWN_LIMITS = [];

export function knownLimit(module, cell, version) {
  return KNOWN_LIMITS.find((l) => l.module === module && l.applies(cell, version));
}

// The bench app's own memory figures, read from its /stats endpoint (bench/app.mjs, bench/memory.mjs).

/**
 * The app's memory breakdown in MB (bench/memory.mjs), or undefined if /stats did not give one.
 * @param {string} baseUrl
 * @returns {Promise<Record<string, number> | undefined>}
 */
export async function memoryFigures(baseUrl) {
  const res = await fetch(`${baseUrl}/stats`);
  const body = /** @type {{ mem?: Record<string, number> }} */ (await res.json());
  return body.mem;
}

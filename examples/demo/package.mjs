// The demo's one adapter to the built package: the only file that knows where in dist/ the parts it
// uses live (obs tail's session, the summary, colours, the OTLP probe) and that they must be built.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = (...parts) => pathToFileURL(path.join(root, 'dist', 'src', 'cli', ...parts)).href;

/** True when `npm run build` has produced what the demo (and, for our own preload, the register entry) needs. */
export function isBuilt(withRegister) {
  return existsSync(fileURLToPath(cli('tail', 'session.js'))) && (!withRegister || existsSync(path.join(root, 'dist', 'register.js')));
}

/** @returns {Promise<typeof import('../../src/cli/tail/session.js')>} */
export const loadTailSession = () => import(cli('tail', 'session.js'));
/** @returns {Promise<typeof import('./summary.js')>} */
export const loadSummary = () => import(pathToFileURL(path.join(root, 'dist', 'examples', 'demo', 'summary.js')).href);
/** @returns {Promise<typeof import('../../src/cli/util/color.js')>} */
export const loadColor = () => import(cli('util', 'color.js'));
/** @returns {Promise<typeof import('../../src/cli/doctor/probe-otlp.js')>} */
export const loadProbeOtlp = () => import(cli('doctor', 'probe-otlp.js'));

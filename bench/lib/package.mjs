// The one place the bench knows where the built package lives (issue 12): the register entry as a
// user names it, the dist/ files it checks for, and the receiver parts verify/soak borrow.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (bench/lib/ → ../..). */
export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** How a user starts the preload: resolved through the package's self-reference, like `--import @org/obs/register`. */
export const REGISTER_SPECIFIER = '@org/obs/register';

const DIST = path.join(REPO_DIR, 'dist');
const REGISTER_FILE = path.join(DIST, 'register.js');
const RECEIVER_DECODER = path.join(DIST, 'src', 'cli', 'receiver', 'decode.js');
const RECEIVER_INDEX = path.join(DIST, 'src', 'cli', 'receiver', 'index.js');

/** Throws a clear message when the package is not built. */
export function assertBuilt() {
  if (!existsSync(REGISTER_FILE)) {
    throw new Error(`${path.relative(process.cwd(), REGISTER_FILE)} is missing: run \`npm run build\` first (npm run bench does)`);
  }
}

/** URL of the receiver's decoder, for the sink's cross-check (imported lazily by the sink). */
export function receiverDecoderUrl() {
  return pathToFileURL(RECEIVER_DECODER).href;
}

/**
 * The OTLP receiver (a test collector with fault injection), for the soak.
 * @returns {Promise<{ OtlpReceiver: any, parseFault: (spec: string) => any }>}
 */
export async function loadReceiver() {
  return import(pathToFileURL(RECEIVER_INDEX).href);
}

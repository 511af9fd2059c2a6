// Where the matrix keeps things: the repo, its throw-away cache (gitignored) and the committed results.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = process.env.MATRIX_CACHE_DIR ?? path.join(REPO, '.matrix-cache');
export const TEMPLATES = path.join(REPO, 'matrix', 'templates');
export const RESULTS = path.join(REPO, 'matrix', 'results');
export const DOC = path.join(REPO, 'docs', 'compatibility.md');

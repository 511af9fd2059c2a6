// The matrix's one adapter to the built package: the only file that knows where in dist/ the parts
// it uses live (the receiver, the supported ranges). `root` is the tree whose dist/ was built for
// this run (the repo, or the exported HEAD).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './paths.mjs';

const built = (root, ...parts) => import(pathToFileURL(path.join(root, 'dist', 'src', ...parts)).href);

/** @returns {Promise<typeof import('../src/cli/receiver/receiver.js')>} */
export const loadReceiver = (root = REPO) => built(root, 'cli', 'receiver', 'receiver.js');

/** @returns {Promise<typeof import('../src/instrumentations/supported.js')>} */
export const loadSupported = (root = REPO) => built(root, 'instrumentations', 'supported.js');

// The matrix's OTLP endpoint: the repo's own receiver (dist/src/cli/receiver/), one per cell run.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './paths.mjs';

/** `root`: the tree whose dist/ was built for this run (the repo, or the exported HEAD). */
export async function startReceiver({ root = REPO } = {}) {
  const { OtlpReceiver } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'cli', 'receiver', 'receiver.js')).href);
  const receiver = new OtlpReceiver();
  await receiver.start();
  return {
    env: receiver.envFor(),
    received: () => ({ spans: receiver.spans, metrics: receiver.metrics, logs: receiver.logs }),
    stop: () => receiver.stop(),
  };
}

// The matrix's OTLP endpoint: the repo's own receiver (dist/src/receiver/), one per cell run.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './paths.mjs';

export async function startReceiver() {
  const { OtlpReceiver } = await import(pathToFileURL(path.join(REPO, 'dist', 'src', 'receiver', 'receiver.js')).href);
  const receiver = new OtlpReceiver();
  await receiver.start();
  return {
    env: receiver.envFor(),
    received: () => ({ spans: receiver.spans, metrics: receiver.metrics, logs: receiver.logs }),
    stop: () => receiver.stop(),
  };
}

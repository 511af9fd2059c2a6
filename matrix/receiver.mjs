// The matrix's OTLP endpoint: the repo's own receiver, one per cell run.
import { REPO } from './paths.mjs';
import { loadReceiver } from './package.mjs';

/** `root`: the tree whose dist/ was built for this run (the repo, or the exported HEAD). */
export async function startReceiver({ root = REPO } = {}) {
  const { OtlpReceiver } = await loadReceiver(root);
  const receiver = new OtlpReceiver();
  await receiver.start();
  return {
    env: receiver.envFor(),
    received: () => ({ spans: receiver.spans, metrics: receiver.metrics, logs: receiver.logs }),
    stop: () => receiver.stop(),
  };
}

// Preloaded by bench/alloc.mjs after the configuration's own preload: V8's sampling heap profiler with the
// objects minor and major GCs collected included (what a request allocates, not what it keeps), started on
// SIGUSR2 and written to BENCH_HEAP_PROFILE on the next SIGUSR2. Only node: built-ins.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
let sampling = false;
process.on('SIGUSR2', async () => {
  if (!sampling) {
    sampling = true;
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    process.stderr.write('BENCH_HEAP_SAMPLING\n');
    return;
  }
  const { profile } = await post('HeapProfiler.stopSampling');
  writeFileSync(process.env.BENCH_HEAP_PROFILE ?? 'heap.json', JSON.stringify(profile));
  process.stderr.write('BENCH_HEAP_WRITTEN\n');
});

// Export failure lines must be identical across repeats of the same failure, or the once-a-minute
// rate limit of diag.ts cannot fold them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportFailure, stableFailure } from '../src/export/failure-message.js';

test('gRPC deadline errors lose their per-attempt timings', () => {
  const a = new Error('4 DEADLINE_EXCEEDED: Deadline exceeded after 10.001s,name resolution: 0.017s,metadata filters: 0.002s,LB pick: 0.027s,remote_addr=127.0.0.1:41753');
  const b = new Error('4 DEADLINE_EXCEEDED: Deadline exceeded after 9.998s,name resolution: 0.001s,metadata filters: 0.001s,LB pick: 0.1s,remote_addr=127.0.0.1:41753');
  assert.equal(stableFailure(a), 'Error: 4 DEADLINE_EXCEEDED: Deadline exceeded');
  assert.equal(stableFailure(a), stableFailure(b));
});

test('gRPC connection errors lose their resolution note; durations in any message are masked', () => {
  const refused = new Error('14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:4317. Resolution note: ');
  assert.equal(stableFailure(refused), 'Error: 14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:4317');
  assert.equal(stableFailure(new Error('timed out after 300ms')), stableFailure(new Error('timed out after 301ms')));
});

test('the error handed back to the processor carries the same text we log', () => {
  const err = exportFailure('traces', 'http://c:4317 (grpc)', new Error('14 UNAVAILABLE: x'));
  assert.equal(err.message, 'traces export to http://c:4317 (grpc) failed: Error: 14 UNAVAILABLE: x');
  assert.equal(exportFailure('logs', 't', undefined).message, 'logs export to t failed: unknown error');
});

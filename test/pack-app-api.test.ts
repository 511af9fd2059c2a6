// The app's own @opentelemetry/api copy, as existing services have it: on 1.9.x (older than ours) and
// on the newest 1.x, installed before and after @org/obs (npm's hoisting differs). In each, the app's
// counter, manual span and log record go through the app's copy and must reach our providers: the
// span parented under the server span, the log record carrying the trace id. Uses the packed tarball.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import { packRepo, type Packed } from './support/pack.js';
import { startReceiver } from './support/receiver.js';
import { runFixture } from './support/spawn.js';

const WAIT = { timeoutMs: 30_000 };
const TEMPLATE = { dir: 'e2e-app-api', files: ['package.json', 'server.mjs', 'server.cjs'] } as const;

let packed: Packed | undefined;
before(async () => {
  packed = await packRepo();
});
after(() => packed?.remove());

const CASES = [
  { api: '~1.9.0', extra: ['@opentelemetry/api-logs@0.223.1'], order: 'before', flag: '--import' },
  { api: '~1.9.0', extra: ['@opentelemetry/api-logs@0.223.1'], order: 'after', flag: '--import' },
  // A CommonJS service with --require: the older copy is redirected by the CommonJS bundle's resolver.
  { api: '~1.9.0', extra: ['@opentelemetry/api-logs@0.223.1'], order: 'after', flag: '--require' },
  { api: 'latest', extra: [], order: 'before', flag: '--import' },
  { api: 'latest', extra: [], order: 'after', flag: '--import' },
] as const;

for (const c of CASES) {
  test(`app on @opentelemetry/api@${c.api}, installed ${c.order} @org/obs, ${c.flag}: its counter, span and log record reach our providers`, async (t) => {
    const apiInstall = [`@opentelemetry/api@${c.api}`, ...c.extra];
    const installs = c.order === 'before' ? [apiInstall, ['@org/obs']] : [['@org/obs'], apiInstall];
    const dir = await packed!.service(`api-${c.api.replace(/\W/g, '')}-${c.order}${c.flag === '--require' ? '-cjs' : ''}`, TEMPLATE, installs);
    const receiver = await startReceiver(t);
    const proc = await runFixture(path.join(dir, c.flag === '--require' ? 'server.cjs' : 'server.mjs'), {
      cwd: dir, preloadSpecifier: '@org/obs/register', preloadFlag: c.flag, env: { ...receiver.envFor(), OTEL_METRIC_EXPORT_INTERVAL: '1000' },
      waitForStdout: /listening on (\d+) api (\S+)/, readyTimeoutMs: 30_000, t,
    });
    const apiVersion = proc.ready![2];
    if (c.api === '~1.9.0') assert.match(apiVersion, /^1\.9\./);
    assert.equal((await fetch(`http://127.0.0.1:${proc.ready![1]}/orders`)).status, 200);
    const server = await receiver.waitForSpan((s) => s.kind === 'SERVER', WAIT);
    const manual = await receiver.waitForSpan((s) => s.name === 'place-order', WAIT);
    assert.equal(manual.traceId, server.traceId, 'the manual span is in the request trace');
    assert.equal(manual.parentSpanId, server.spanId, 'the manual span is parented under the server span');
    const log = await receiver.waitForLog((l) => l.body === 'order placed', WAIT);
    assert.equal(log.traceId, server.traceId);
    await receiver.waitForMetric((p) => p.name === 'orders.placed' && p.attributes.side === 'buy', WAIT);
    proc.kill('SIGTERM');
    await proc.exited;
    assert.equal(proc.stderr, '', `no warning on app API ${apiVersion}`);
  });
}

// A seeded generator of ReadableSpan-shaped records covering every OTLP span field and AnyValue kind,
// for checking our OTLP trace writer against upstream's serializer (same seed → same spans).
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { TraceState } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');

/** mulberry32: small, fast, good enough to spread test cases. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = [
  '', 'GET', '/users/:id', 'héllo wörld', '日本語のテキスト', 'emoji 🎉🚀 mixed', 'lone \ud800 surrogate', 'x'.repeat(127),
  'y'.repeat(128), 'é'.repeat(70), 'long '.repeat(300), 'z'.repeat(20_000), 'tab\tnew\nline "quoted" \\ back', '\u0000nul',
];
const INTS = [0, 1, -1, 127, 128, 300, -300, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53) + 1,
  2 ** 53, 2 ** 60, -(2 ** 60), 2 ** 63 - 1024, -(2 ** 63), 9_007_199_254_740_993, -0];
const DOUBLES = [0.5, -1.25, Math.PI, 1e-300, 1e300, Number.NaN, Infinity, -Infinity, 2 ** 63, -(2 ** 64), Number.MIN_VALUE];
const KEYS = ['http.request.method', 'url.path', 'http.response.status_code', 'server.address', 'db.system.name', 'ключ', '键',
  '', 'k'.repeat(1500), 'custom.attr'];

export class SpanGen {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  hex(bytes: number): string {
    let s = '';
    for (let i = 0; i < bytes; i++) s += this.int(256).toString(16).padStart(2, '0');
    return this.int(10) === 0 ? s.toUpperCase() : s;
  }

  value(depth = 0): unknown {
    switch (this.int(depth > 1 ? 6 : 10)) {
      case 0: case 1: return this.pick(STRINGS);
      case 2: return this.int(2) === 1;
      case 3: return this.pick(INTS);
      case 4: return this.pick(DOUBLES);
      case 5: return this.int(3) === 0 ? null : undefined;
      case 6: return Uint8Array.from({ length: this.int(40) }, () => this.int(256));
      case 7: return Array.from({ length: this.int(5) }, () => this.value(depth + 1));
      case 8: return [this.pick(STRINGS), this.pick(STRINGS)];
      default: return this.attrs(this.int(4), depth + 1);
    }
  }

  attrs(n: number, depth = 0): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) out[this.int(3) === 0 ? `${this.pick(KEYS)}.${this.int(1000)}` : this.pick(KEYS)] = this.value(depth);
    return out;
  }

  hrTime(): [number, number] {
    return [this.pick([0, 1, 1_700_000_000 + this.int(1e8), 4_294_967_295, 2 ** 33]), this.int(1e9)];
  }

  count(): number {
    return this.pick([0, 0, 1, 5, 127, 128, 70_000]);
  }

  traceState(): InstanceType<typeof TraceState> | undefined {
    return this.int(3) === 0 ? new TraceState(`vendor=${this.int(1e6)},other=x${this.int(9)}`) : undefined;
  }

  span(resource: ReadableSpan['resource'], scope: ReadableSpan['instrumentationScope']): ReadableSpan {
    const traceId = this.hex(16);
    const parent = this.int(3) === 0 ? undefined : {
      traceId, spanId: this.hex(8), traceFlags: this.int(2), isRemote: this.pick([true, false, undefined]),
    };
    const ctx = { traceId, spanId: this.hex(8), traceFlags: this.pick([0, 1, 3, 255]), traceState: this.traceState() };
    const events = Array.from({ length: this.pick([0, 0, 1, 3]) }, () => ({
      name: this.pick(STRINGS), time: this.hrTime(),
      attributes: this.int(4) === 0 ? undefined : this.attrs(this.int(4)),
      droppedAttributesCount: this.pick([undefined, 0, 2, 300]),
    }));
    const links = Array.from({ length: this.pick([0, 0, 1, 2]) }, () => ({
      context: { traceId: this.hex(16), spanId: this.hex(8), traceFlags: this.int(2), isRemote: this.pick([true, false, undefined]), traceState: this.traceState() },
      attributes: this.int(4) === 0 ? undefined : this.attrs(this.int(4)),
      droppedAttributesCount: this.pick([undefined, 0, 7]),
    }));
    const status = this.pick([{ code: 0 }, { code: 1 }, { code: 2, message: 'boom' }, { code: 2, message: '' }, { code: 2, message: 'ünïcode ✗' }]);
    return {
      name: this.pick(STRINGS),
      kind: this.pick([0, 1, 2, 3, 4, undefined]) as ReadableSpan['kind'],
      spanContext: () => ctx,
      parentSpanContext: parent,
      startTime: this.hrTime(),
      endTime: this.hrTime(),
      status,
      attributes: this.attrs(this.int(14)),
      links,
      events,
      duration: [0, 0],
      ended: true,
      resource,
      instrumentationScope: scope,
      droppedAttributesCount: this.count(),
      droppedEventsCount: this.count(),
      droppedLinksCount: this.count(),
    } as unknown as ReadableSpan;
  }

  resource(): ReadableSpan['resource'] {
    return {
      attributes: this.attrs(1 + this.int(8)),
      schemaUrl: this.pick([undefined, '', 'https://opentelemetry.io/schemas/1.30.0']),
      asyncAttributesPending: false,
    } as unknown as ReadableSpan['resource'];
  }

  scope(): ReadableSpan['instrumentationScope'] {
    return {
      name: this.pick(['@opentelemetry/instrumentation-http', 'pg', '', 'ünï']),
      version: this.pick([undefined, '', '0.301.2']),
      schemaUrl: this.pick([undefined, '', 'https://opentelemetry.io/schemas/1.28.0']),
      ...(this.int(3) === 0 ? { attributes: this.attrs(this.int(3)) } : {}),
      ...(this.int(3) === 0 ? { droppedAttributesCount: this.pick([0, 4, 200]) } : {}),
    } as ReadableSpan['instrumentationScope'];
  }

  /** A batch interleaving spans of a few resources and scopes, as a batch processor hands them over. */
  batch(n: number): ReadableSpan[] {
    const resources = Array.from({ length: 1 + this.int(2) }, () => this.resource());
    const scopes = Array.from({ length: 1 + this.int(4) }, () => this.scope());
    return Array.from({ length: n }, () => this.span(this.pick(resources), this.pick(scopes)));
  }
}

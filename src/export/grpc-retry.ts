// Retry policy for OTLP/gRPC, which upstream's gRPC transport does not retry at all (its HTTP
// transport does, honouring Retry-After): UNAVAILABLE always, RESOURCE_EXHAUSTED only when the
// server sent a RetryInfo delay, as the OTLP specification says; backoff with jitter otherwise.
const UNAVAILABLE = 14;
const RESOURCE_EXHAUSTED = 8;
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5000;
const MULTIPLIER = 1.5;
const JITTER = 0.2;
export const MAX_RETRIES = 5;

interface Field {
  readonly no: number;
  readonly varint?: number;
  readonly bytes?: Buffer;
}

/** The top-level fields of a protobuf message; only varint and length-delimited wire types are kept. */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (i >= buf.length) throw new Error('truncated');
      const b = buf[i++];
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  };
  while (i < buf.length) {
    const tag = varint();
    const no = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) out.push({ no, varint: varint() });
    else if (wire === 2) {
      const len = varint();
      if (i + len > buf.length) throw new Error('truncated');
      out.push({ no, bytes: buf.subarray(i, i + len) });
      i += len;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error('unsupported wire type');
  }
  return out;
}

/** The RetryInfo delay (ms) carried in google.rpc.Status details (grpc-status-details-bin), if any. */
export function retryInfoDelayMs(statusDetails: Buffer): number | undefined {
  try {
    for (const detail of fields(statusDetails).filter((f) => f.no === 3 && f.bytes)) {
      const any = fields(detail.bytes!);
      const typeUrl = any.find((f) => f.no === 1)?.bytes?.toString('utf8') ?? '';
      if (!typeUrl.endsWith('google.rpc.RetryInfo')) continue;
      const duration = fields(any.find((f) => f.no === 2)?.bytes ?? Buffer.alloc(0)).find((f) => f.no === 1)?.bytes;
      if (!duration) return 0;
      const parts = fields(duration);
      const seconds = parts.find((f) => f.no === 1)?.varint ?? 0;
      const nanos = parts.find((f) => f.no === 2)?.varint ?? 0;
      return seconds * 1000 + Math.floor(nanos / 1e6);
    }
  } catch {
    // an undecodable detail is no hint
  }
  return undefined;
}

function hint(error: unknown): number | undefined {
  const metadata = (error as { metadata?: { get?: (k: string) => unknown[] } } | undefined)?.metadata;
  const [details] = typeof metadata?.get === 'function' ? metadata.get('grpc-status-details-bin') : [];
  return Buffer.isBuffer(details) ? retryInfoDelayMs(details) : undefined;
}

/** How long to wait before retry number `attempt` (0-based), or undefined when the error is not retryable. */
export function grpcRetryDelay(error: unknown, attempt: number, random: () => number = Math.random): number | undefined {
  if (attempt >= MAX_RETRIES) return undefined;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code !== UNAVAILABLE && code !== RESOURCE_EXHAUSTED) return undefined;
  const hinted = hint(error);
  if (code === RESOURCE_EXHAUSTED && hinted === undefined) return undefined;
  if (hinted !== undefined) return hinted;
  const base = Math.min(INITIAL_BACKOFF_MS * MULTIPLIER ** attempt, MAX_BACKOFF_MS);
  return Math.max(0, base * (1 + (random() * 2 - 1) * JITTER));
}

// The OTLP/HTTP exporters wait between retries on a plain setTimeout, which holds a finished app open
// for up to the exporter's 10 s budget while a collector refuses. The same wait, on an unref'd timer.
interface RetryingTransport {
  _transport?: unknown;
  retry?: (data: Uint8Array, timeoutMillis: number, inMillis: number) => Promise<unknown>;
}

interface Transport {
  send(data: Uint8Array, timeoutMillis: number): Promise<unknown>;
}

/**
 * Finds upstream's RetryingTransport inside an OTLP exporter (`_delegate._transport`) and replaces its
 * retry wait. Shapes it does not recognise are left alone (the exit bound then rests on the socket and
 * processor measures alone); returns whether it applied.
 */
export function unrefRetryTimers(exporter: unknown): boolean {
  const transport = (exporter as { _delegate?: { _transport?: RetryingTransport } } | undefined)?._delegate?._transport;
  const inner = transport?._transport as Transport | undefined;
  if (!transport || typeof transport.retry !== 'function' || typeof inner?.send !== 'function') return false;
  transport.retry = (data, timeoutMillis, inMillis) => new Promise((resolve, reject) => {
    setTimeout(() => {
      inner.send(data, timeoutMillis).then(resolve, reject);
    }, inMillis).unref();
  });
  return true;
}

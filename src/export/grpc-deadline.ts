// gRPC exports without a grpc-js deadline: grpc-js arms a ref'd timer per call for its deadline (a
// hanging collector then holds a finished app open), and a deadline far enough out to avoid that
// timer is sent as a grpc-timeout a Node gRPC server cannot arm (it overflows to 1 ms). With no
// deadline at all (Infinity) neither happens; the guard's unref'd attempt timeout bounds the call.
interface DelegateShape {
  _delegate?: { _timeout?: unknown };
}

/**
 * Sets the OTLP export delegate's per-export timeout (`_delegate._timeout`, passed to the gRPC
 * transport as the call's deadline) to Infinity. Returns whether it applied; if upstream's shape
 * changes, the exporter keeps its own 10 s deadline (a ref'd timer: the exit bound then has that residue).
 */
export function dropGrpcDeadline(exporter: unknown): boolean {
  const delegate = (exporter as DelegateShape | undefined)?._delegate;
  if (!delegate || typeof delegate._timeout !== 'number') return false;
  delegate._timeout = Infinity;
  return true;
}

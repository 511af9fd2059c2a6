// Crash capture's outbox: while a fatal error is being handled, guarded exporters serialize what
// they are handed into here instead of sending it, so it can all go out in one synchronous send.
export interface CapturedRequest {
  readonly signal: 'traces' | 'metrics' | 'logs';
  readonly protocol: 'grpc' | 'http/protobuf' | 'http/json';
  /** HTTP: the full /v1/<signal> URL; gRPC: scheme://host:port. */
  readonly endpoint: string;
  /** The OTLP request body, base64 (protobuf or JSON, as the protocol says). */
  readonly body: string;
}

let outbox: CapturedRequest[] | undefined;

/** Starts capturing; exporters see capturing() true until takeCaptured(). */
export function beginCapture(): void {
  outbox = [];
}

export function capturing(): boolean {
  return outbox !== undefined;
}

export function capture(request: CapturedRequest): void {
  outbox?.push(request);
}

/** Ends capturing and hands over what was collected. */
export function takeCaptured(): CapturedRequest[] {
  const taken = outbox ?? [];
  outbox = undefined;
  return taken;
}

let finalSendDone = false;

/** The process is ending and its telemetry was sent synchronously (crash or exit path): once is enough. */
export function markFinalSend(): boolean {
  if (finalSendDone) return false;
  finalSendDone = true;
  return true;
}

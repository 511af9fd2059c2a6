// Entry point of the OTLP receiver (tests, `obs tail`). Never imported by the preload's start-up path.
export { OtlpReceiver } from './receiver.js';
export type { BatchEvent, EnvForOptions, OtlpProtocol, ReceiverStartOptions, WaitForOptions } from './receiver.js';
export { FaultBook, grpcCodeFor, parseDurationMs, parseFault, toFault } from './faults.js';
export type { Fault, FaultInput, FaultKind, FaultTarget } from './faults.js';
export { decodeRequest, decompress, encodingOf } from './decode.js';
export { GRPC_PATHS } from './grpc-server.js';
export * from './types.js';

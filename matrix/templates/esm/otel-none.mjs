// Matrix fixture role "app telemetry", none: the app has no OpenTelemetry code of its own.
export function placeOrder(work) {
  return work();
}

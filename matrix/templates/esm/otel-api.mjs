// Matrix fixture role "app telemetry" on @opentelemetry/api >= 1.10: the app's own business counter,
// manual span and log record, all through the app's own API copy (logs included, new in 1.10).
import { logs, metrics, SeverityNumber, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('app');
const orders = metrics.getMeter('app').createCounter('orders.placed');
const logger = logs.getLogger('app');

/** Runs the request's work inside the app's span "place order" (so the library spans are its children). */
export function placeOrder(work) {
  return tracer.startActiveSpan('place order', async (span) => {
    try {
      orders.add(1, { 'order.channel': 'matrix' });
      logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'matrix-app-log order placed' });
      return await work();
    } finally {
      span.end();
    }
  });
}

// The request-scoped fields every log record gets while a request is being handled: request_id, and
// user_id when OBS_USER_ID_HEADER is set. Shared by the logger hooks and the console bridge.
import type { Context } from '@opentelemetry/api';
import { currentIds } from './request-id.js';
import { otel } from '../sdk/otel.js';

const { context } = otel('@opentelemetry/api');

/** Adds request_id / user_id to a log record (a pino/winston/bunyan record or our attributes object). */
export function addLogContext(record: Record<string, unknown>, ctx: Context = context.active()): void {
  const ids = currentIds(ctx);
  if (!ids) return;
  // The app's own field wins: it may log a request id of its own under the same key.
  if (record.request_id === undefined) record.request_id = ids.requestId;
  if (ids.userId !== undefined && record.user_id === undefined) record.user_id = ids.userId;
}

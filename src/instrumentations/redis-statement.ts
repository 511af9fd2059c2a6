// The db.query.text serializer shared by node-redis and ioredis, following OBS_DB_STATEMENT.
import type { DbStatementMode } from '../config/config.js';
import { sanitizeRedis } from '../redact/redis.js';

export function redisStatementSerializer(mode: DbStatementMode): (cmd: string, args: unknown[]) => string {
  if (mode === 'raw') return (cmd, args) => [cmd, ...args.map((a) => (Buffer.isBuffer(a) ? a.toString() : String(a)))].join(' ');
  if (mode === 'off') return () => '';
  return (cmd, args) => sanitizeRedis(cmd, args);
}

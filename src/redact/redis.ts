// Redis commands reduced to what is safe to export: the command and, for key-based commands, the
// first key. Values, scripts, passwords and member lists never leave the process.
type Arg = string | Buffer | number | unknown;

/** Commands whose first argument is not a key (or must not be shown at all). */
const NO_KEY = new Set([
  'AUTH', 'HELLO', 'EVAL', 'EVALSHA', 'EVAL_RO', 'EVALSHA_RO', 'FCALL', 'FCALL_RO', 'SCRIPT', 'FUNCTION',
  'CLIENT', 'CONFIG', 'ACL', 'SELECT', 'PING', 'ECHO', 'INFO', 'QUIT', 'MULTI', 'EXEC', 'DISCARD',
  'PUBLISH', 'SUBSCRIBE', 'PSUBSCRIBE', 'UNSUBSCRIBE', 'SPUBLISH', 'MIGRATE', 'MODULE', 'DEBUG', 'SCAN',
  'FLUSHDB', 'FLUSHALL', 'DBSIZE', 'TIME', 'COMMAND', 'CLUSTER', 'MEMORY', 'SLOWLOG', 'LATENCY', 'WAIT',
]);

function keyText(arg: Arg): string {
  if (typeof arg === 'string') return arg;
  if (Buffer.isBuffer(arg)) return arg.toString('utf8');
  if (typeof arg === 'number') return String(arg);
  return '?';
}

export function sanitizeRedis(command: string, args: readonly Arg[]): string {
  const name = command.toUpperCase();
  if (NO_KEY.has(name) || args.length === 0) return args.length > 0 ? `${name} ?` : name;
  const rest = args.length > 1 ? ' ?' : '';
  return `${name} ${keyText(args[0])}${rest}`;
}

// Redis commands reduced to what is safe to export, by allow-list: a command we know shows its name
// and its key names (never values, members, scripts or passwords); a command we do not know shows
// its name only, since we cannot tell its keys from its values. Key names are scrubbed again at
// export with the text rules (a key such as `reset:<token>` keeps `reset:` only).
type Arg = string | Buffer | number | unknown;

/** How a known command's arguments are shown. */
type Shape =
  | 'first' // the first argument is a key, the rest are values: `SET k ?`
  | 'all' // every argument is a key: `DEL k1 k2`
  | 'two' // the first two arguments are keys: `RENAME k1 k2`, `LMOVE src dst ?`
  | 'pairs' // key, value, key, value: `MSET k1 ? k2 ?`
  | 'sub' // a subcommand word, then arguments never shown: `CONFIG GET ?`
  | 'none'; // nothing but the name: `AUTH ?`, `EVAL ?`

const SHAPES = new Map<string, Shape>();
function define(shape: Shape, names: string): void {
  for (const name of names.split(/\s+/)) if (name) SHAPES.set(name, shape);
}

define('first', `
  GET SET SETNX SETEX PSETEX GETSET GETEX GETDEL GETRANGE SETRANGE APPEND STRLEN INCR INCRBY INCRBYFLOAT DECR DECRBY
  EXPIRE PEXPIRE EXPIREAT PEXPIREAT EXPIRETIME PEXPIRETIME TTL PTTL PERSIST TYPE DUMP RESTORE SORT SORT_RO
  HGET HSET HSETNX HMSET HMGET HDEL HEXISTS HGETALL HKEYS HVALS HLEN HINCRBY HINCRBYFLOAT HSTRLEN HRANDFIELD HSCAN
  HEXPIRE HPEXPIRE HTTL HPTTL HPERSIST HGETDEL HGETEX HSETEX
  LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET LREM LTRIM LINSERT LPOS BLPOP BRPOP
  SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER SSCAN
  ZADD ZREM ZSCORE ZMSCORE ZINCRBY ZCARD ZCOUNT ZRANGE ZRANGEBYSCORE ZREVRANGE ZREVRANGEBYSCORE ZRANK ZREVRANK
  ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX ZRANGEBYLEX ZREVRANGEBYLEX ZLEXCOUNT ZPOPMIN ZPOPMAX BZPOPMIN
  BZPOPMAX ZRANDMEMBER ZSCAN ZRANGESTORE ZUNIONSTORE ZINTERSTORE ZDIFFSTORE
  PFADD GEOADD GEODIST GEOHASH GEOPOS GEOSEARCH GEOSEARCHSTORE GEORADIUS GEORADIUSBYMEMBER GEORADIUS_RO
  GEORADIUSBYMEMBER_RO XADD XLEN XRANGE XREVRANGE XDEL XTRIM XACK XCLAIM XAUTOCLAIM XPENDING XSETID
  SETBIT GETBIT BITCOUNT BITPOS BITFIELD BITFIELD_RO PUBLISH SPUBLISH LCS
  JSON.GET JSON.SET JSON.DEL JSON.TYPE JSON.ARRAPPEND JSON.NUMINCRBY JSON.MGET
`);
define('all', 'DEL UNLINK EXISTS TOUCH WATCH MGET SINTER SUNION SDIFF PFCOUNT SUBSCRIBE SSUBSCRIBE UNSUBSCRIBE SUNSUBSCRIBE');
define('two', 'RENAME RENAMENX COPY SMOVE LMOVE BLMOVE RPOPLPUSH BRPOPLPUSH SINTERSTORE SUNIONSTORE SDIFFSTORE PFMERGE');
define('pairs', 'MSET MSETNX');
define('sub', 'CONFIG CLIENT CLUSTER COMMAND MEMORY SCRIPT FUNCTION ACL OBJECT XINFO XGROUP SLOWLOG LATENCY MODULE PUBSUB');
define('none', `
  AUTH HELLO EVAL EVALSHA EVAL_RO EVALSHA_RO FCALL FCALL_RO SELECT PING ECHO INFO QUIT RESET MULTI EXEC DISCARD UNWATCH
  PSUBSCRIBE PUNSUBSCRIBE MIGRATE DEBUG SCAN KEYS RANDOMKEY FLUSHDB FLUSHALL DBSIZE TIME WAIT WAITAOF LASTSAVE SAVE BGSAVE
  BGREWRITEAOF SHUTDOWN REPLICAOF SLAVEOF ROLE SWAPDB MONITOR SYNC PSYNC FAILOVER LOLWUT XREAD XREADGROUP
`);

/** Subcommands shown after CONFIG, CLIENT, …: plain words only, so an argument put first is never shown. */
const SUBCOMMAND = /^[A-Za-z][A-Za-z-]{1,15}$/;
const SUBCOMMANDS = new Set(`
  GET SET RESETSTAT REWRITE LIST SETNAME GETNAME SETINFO ID KILL INFO LOAD EXISTS FLUSH HELP USAGE STATS DOCTOR
  ENCODING FREQ IDLETIME REFCOUNT CREATE DESTROY DELCONSUMER CREATECONSUMER SETID CONSUMERS GROUPS STREAM WHOAMI
  USERS CAT DELUSER SETUSER GETUSER GENPASS LOG SLOTS NODES SHARDS KEYSLOT COUNT DOCS CHANNELS NUMSUB NUMPAT
  TRACKING CACHING PAUSE UNPAUSE NO-EVICT NO-TOUCH REPLY DELETE DUMP RESTORE MYID MYSHARDID
`.split(/\s+/).filter(Boolean));

function keyText(arg: Arg): string {
  if (typeof arg === 'string') return arg;
  if (Buffer.isBuffer(arg)) return arg.toString('utf8');
  if (typeof arg === 'number') return String(arg);
  return '?';
}

function show(name: string, args: readonly Arg[], shape: Shape): string {
  switch (shape) {
    case 'first':
      return `${name} ${keyText(args[0])}${args.length > 1 ? ' ?' : ''}`;
    case 'all':
      return `${name} ${args.map(keyText).join(' ')}`;
    case 'two':
      return `${name} ${args.slice(0, 2).map(keyText).join(' ')}${args.length > 2 ? ' ?' : ''}`;
    case 'pairs':
      return `${name} ${args.map((a, i) => (i % 2 === 0 ? keyText(a) : '?')).join(' ')}`;
    case 'sub': {
      const sub = keyText(args[0]).toUpperCase();
      const shown = SUBCOMMAND.test(sub) && SUBCOMMANDS.has(sub) ? sub : '?';
      return `${name} ${shown}${args.length > 1 && shown !== '?' ? ' ?' : ''}`;
    }
    case 'none':
      return `${name} ?`;
  }
}

/** A command name we print: letters, digits, `.` and `_` (module commands), else `?`. */
const COMMAND_NAME = /^[A-Z][A-Z0-9._]{0,31}$/;

export function sanitizeRedis(command: string, args: readonly Arg[]): string {
  const name = command.toUpperCase();
  const shape = SHAPES.get(name);
  if (shape === undefined) return COMMAND_NAME.test(name) ? name : '?';
  if (args.length === 0) return name;
  return show(name, args, shape);
}

// Is a Redis server answering at this URL? A raw PING over TCP, so the check needs no client library.
import net from 'node:net';

export function redisAnswers(url, timeoutMs = 1000) {
  return new Promise((resolve) => {
    let target;
    try {
      target = new URL(url);
    } catch {
      resolve(false);
      return;
    }
    const socket = net.connect({ host: target.hostname || '127.0.0.1', port: Number(target.port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    // "+PONG" without auth; "-NOAUTH" still proves a Redis is there (the URL's password is then used).
    socket.on('data', (d) => done(/^(\+PONG|-NOAUTH)/.test(d.toString())));
  });
}

// Whether a TCP port can be bound right now (the Prometheus /metrics and probe port must be free).
import net from 'node:net';

export function portIsFree(port: number, host: string): Promise<{ free: boolean; reason?: string }> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => resolve({ free: false, reason: err.code ?? err.message }));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve({ free: true })));
  });
}

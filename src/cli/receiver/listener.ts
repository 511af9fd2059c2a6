// A TCP listener that owns its sockets: it can stop listening (real ECONNREFUSED), reopen on the same
// port, and destroy any connection at once, which neither http.Server nor grpc-js offers on its own.
import net from 'node:net';

export class SocketListener {
  port = 0;
  readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;

  constructor(
    private readonly host: string,
    private readonly onSocket: (socket: net.Socket) => void,
  ) {}

  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Listens on `port` (0: ephemeral, then remembered so a reopen gets the same one). */
  async open(port = this.port): Promise<number> {
    if (this.server) return this.port;
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      // A client vanishing mid-request is routine here (faults do it on purpose).
      socket.on('error', () => {});
      this.onSocket(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: this.host, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Stops listening and destroys every open connection; resolves once the port is released. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.destroyAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  destroyAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Destroys the connection whose client end is `address:port` (a gRPC peer string); false if none. */
  destroyPeer(peer: string): boolean {
    for (const s of this.sockets) {
      if (`${s.remoteAddress}:${s.remotePort}` === peer || `[${s.remoteAddress}]:${s.remotePort}` === peer) {
        s.destroy();
        return true;
      }
    }
    return false;
  }
}

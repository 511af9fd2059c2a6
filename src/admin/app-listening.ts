// Where the app listens, recorded only for `obs doctor` (OBS_DOCTOR_REPORT): the doctor sends its proof
// request to the first TCP address the app's own servers bound. Our metrics/probe servers are skipped.
import dc from 'node:diagnostics_channel';
import type { AddressInfo } from 'node:net';
import { isOwnServer } from './server-marks.js';

// Published after every completed listen() (Node 22+); the message carries the server, bound by then.
const LISTEN_CHANNEL = 'tracing:net.server.listen:asyncEnd';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
  /** A TLS server (https): the doctor's request then uses https. */
  readonly tls?: boolean;
}

export interface ListenWatch {
  /** Addresses in the order the app bound them. */
  addresses(): ListenAddress[];
  close(): void;
}

export function watchListening(onListen: () => void): ListenWatch {
  const seen: ListenAddress[] = [];
  const handler = (message: unknown): void => {
    // A subscriber's throw would surface in the app as an uncaught exception.
    try {
      const server = (message as { server?: { address?: () => unknown } } | undefined)?.server;
      if (!server || isOwnServer(server) || typeof server.address !== 'function') return;
      // Pipes and Unix sockets have a string address: no URL the doctor could send a request to.
      const address = server.address() as AddressInfo | string | null;
      if (address === null || typeof address === 'string') return;
      // tls.Server has setSecureContext; checked by shape so the preload never loads node:tls for it.
      const tls = typeof (server as { setSecureContext?: unknown }).setSecureContext === 'function';
      seen.push(tls ? { host: address.address, port: address.port, tls } : { host: address.address, port: address.port });
      onListen();
    } catch {
      // the doctor then says it found no listening port
    }
  };
  dc.subscribe(LISTEN_CHANNEL, handler);
  return {
    addresses: () => [...seen],
    close: () => dc.unsubscribe(LISTEN_CHANNEL, handler),
  };
}

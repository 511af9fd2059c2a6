// Where the doctor's proof request goes: the URL given with --url, else the first TCP address the app
// listened on, path `/` (https for a TLS server). A wildcard bind is reached through loopback.
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
  readonly tls?: boolean;
}

function urlHost(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1';
  // '::' binds IPv6 (usually dual-stack); its loopback answers whatever the stack's v6-only setting.
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export function defaultProofUrl(listening: readonly ListenAddress[]): string | undefined {
  const first = listening[0];
  return first ? `${first.tls ? 'https' : 'http'}://${urlHost(first.host)}:${first.port}/` : undefined;
}

/** Validates --url: only http(s) URLs can carry the request. */
export function parseProofUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

// Masks secrets in configuration values before the doctor prints them: secret-looking names, URL
// credentials, secret-looking query parameters and header values (OTEL_EXPORTER_OTLP_HEADERS).
const SECRET_NAME = /(HEADERS|KEY|TOKEN|SECRET|PASSWORD|PASSWD|AUTH|CREDENTIAL|COOKIE)/i;
const SECRET_PARAM = /(key|token|secret|password|passwd|auth|signature|sig|credential)/i;

function maskUrl(value: string): string {
  try {
    const u = new URL(value);
    if (!/^[a-z][a-z0-9+.-]*:$/i.test(u.protocol) || u.host === '') return value;
    let changed = false;
    if (u.password) {
      u.password = '***';
      changed = true;
    }
    for (const key of [...u.searchParams.keys()]) {
      if (SECRET_PARAM.test(key)) {
        u.searchParams.set(key, '***');
        changed = true;
      }
    }
    // Untouched values are shown as written (URL.toString would add a trailing slash).
    return changed ? u.toString() : value;
  } catch {
    return value;
  }
}

/** "k1=v1,k2=v2" header lists keep their keys (useful to see) and lose their values. */
function maskHeaderList(value: string): string {
  return value
    .split(',')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? pair : `${pair.slice(0, eq).trim()}=***`;
    })
    .join(',');
}

export function maskValue(name: string, value: string): string {
  if (/HEADERS$/i.test(name)) return maskHeaderList(value);
  if (SECRET_NAME.test(name)) return '***';
  return maskUrl(value);
}

// Masks secrets in configuration values before the doctor prints them: secret-looking names, URL
// credentials, secret-looking query parameters and header values (OTEL_EXPORTER_OTLP_HEADERS).
// The names are matched by the one privacy matcher (src/redact/keys.ts), the values masked alike.
import { secretKeyMatcher } from '../../redact/keys.js';
import { REDACTED } from '../../redact/url.js';

const isSecret = secretKeyMatcher([], { forPeople: true });

function maskUrl(value: string): string {
  try {
    const u = new URL(value);
    if (!/^[a-z][a-z0-9+.-]*:$/i.test(u.protocol) || u.host === '') return value;
    let changed = false;
    if (u.password) {
      u.password = REDACTED;
      changed = true;
    }
    for (const key of [...u.searchParams.keys()]) {
      if (isSecret(key)) {
        u.searchParams.set(key, REDACTED);
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
      return eq < 0 ? pair : `${pair.slice(0, eq).trim()}=${REDACTED}`;
    })
    .join(',');
}

export function maskValue(name: string, value: string): string {
  if (/HEADERS$/i.test(name)) return maskHeaderList(value);
  if (isSecret(name)) return REDACTED;
  return maskUrl(value);
}

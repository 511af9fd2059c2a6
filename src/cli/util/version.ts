// The version of this package, read from its own package.json (dist/src/cli/util → repo root).
import { readFileSync } from 'node:fs';

export function obsVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

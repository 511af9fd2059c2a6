// Our own version, for the resource and `obs doctor`, read from our package.json once.
import { readFileSync } from 'node:fs';

function read(): string {
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@org/obs' && pkg.version) return pkg.version;
    } catch {
      // try the next layout (dist/src/host vs src/host)
    }
  }
  return '0.0.0';
}

export const OBS_VERSION = read();

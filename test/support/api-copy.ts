// A copy of our @opentelemetry/api under another version, made without the network: the package's
// version and every "1.x.y" literal of its dist (the VERSION constant and the inlined registration check).
import { cpSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './fixtures-dir.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? files(file) : [file];
  });
}

/** Writes `<nodeModules>/@opentelemetry/api` as our copy relabelled `version`; returns its folder. */
export function apiCopyWithVersion(nodeModules: string, version: string): string {
  const source = path.join(repoRoot, 'node_modules', '@opentelemetry', 'api');
  const dest = path.join(nodeModules, '@opentelemetry', 'api');
  cpSync(source, dest, { recursive: true });
  const pkgFile = path.join(dest, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string };
  const quoted = JSON.stringify(pkg.version);
  pkg.version = version;
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
  for (const file of files(path.join(dest, 'dist')).filter((f) => /\.[cm]?js$/.test(f))) {
    const text = readFileSync(file, 'utf8');
    if (text.includes(quoted)) writeFileSync(file, text.replaceAll(quoted, JSON.stringify(version)));
  }
  return dest;
}

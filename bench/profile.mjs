#!/usr/bin/env node
// Prints the top self-time costs of .cpuprofile files, aggregated by package and by function.
// usage: node bench/profile.mjs <file.cpuprofile>... [--top N]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeProfile, renderProfile } from './lib/cpuprofile.mjs';

const repoDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
if (args.length === 0) {
  console.error('usage: node bench/profile.mjs <file.cpuprofile>... [--top N]');
  process.exit(2);
}
for (const file of args) {
  process.stdout.write(renderProfile(analyzeProfile(file, { repoDir }), { title: path.basename(file), file, top }));
}

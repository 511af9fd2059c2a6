// Copies the data files our sources read at run time (src/**/*.bin) to the same place under dist/,
// which tsc does not: route-words.bin is read next to the compiled route-words.js.
import { cpSync, readdirSync } from 'node:fs';

const src = new URL('../src/', import.meta.url);
const dist = new URL('../dist/src/', import.meta.url);
for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
  if (file.endsWith('.bin')) cpSync(new URL(file, src), new URL(file, dist));
}

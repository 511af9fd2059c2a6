// Writes one cell's fixture app from the templates into .matrix-cache/cells/<cell>/ and returns its entry file.
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CACHE, REPO, TEMPLATES } from './paths.mjs';
import { installDir } from './installs.mjs';
import { run } from './exec.mjs';

export function cellDir(cell) {
  return path.join(CACHE, 'cells', cell.id);
}

export async function writeFixture(cell) {
  const dir = cellDir(cell);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const type = cell.module === 'esm' ? 'module' : 'commonjs';
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `cell-${cell.id}`, private: true, type }, null, 2));
  symlinkSync(path.join(installDir(cell.stack), 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const { stack } = cell;
  if (stack.ts) {
    copyFileSync(path.join(TEMPLATES, 'ts', 'app.ts'), path.join(dir, 'app.ts'));
    copyFileSync(path.join(TEMPLATES, 'ts', 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
    // The repo's own TypeScript (devDependency): the type in package.json decides ESM or CJS output.
    await run(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: dir });
    return 'build/app.js';
  }
  const ext = cell.module === 'esm' ? 'mjs' : 'cjs';
  const from = (name) => path.join(TEMPLATES, cell.module, `${name}.${ext}`);
  const to = (name) => path.join(dir, `${name}.${ext}`);
  copyFileSync(from(`server-${stack.server}`), to('app'));
  copyFileSync(from('work'), to('work'));
  copyFileSync(from('db-pg'), to('db'));
  copyFileSync(from(`cache-${stack.cache}`), to('cache'));
  copyFileSync(from(`log-${stack.log}`), to('log'));
  copyFileSync(from(`otel-${stack.appApi?.logs ?? 'none'}`), to('otel'));
  return `app.${ext}`;
}
